//! Geometry for the traffic picture: a local tangent-plane projection around
//! own ship, bearing and range, dead reckoning, and CPA/TCPA.
//!
//! Design: within the ranges an AIS display works at (tens of nautical
//! miles) an equirectangular projection centred on own ship — east/north in
//! nautical miles, longitude scaled by cos(latitude) — is accurate to well
//! under 0.01 NM, and makes CPA a closed-form vector problem. Raw degree
//! differences are never used as distances.

/// Nautical miles per degree of latitude.
pub const NM_PER_DEG: f64 = 60.0;

/// A point east/north of the projection origin, nautical miles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Enu {
    pub east: f64,
    pub north: f64,
}

/// Project (lat, lon) into the plane around `origin`.
pub fn project(origin: (f64, f64), p: (f64, f64)) -> Enu {
    let coslat = origin.0.to_radians().cos();
    let mut dlon = p.1 - origin.1;
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    Enu {
        east: dlon * NM_PER_DEG * coslat,
        north: (p.0 - origin.0) * NM_PER_DEG,
    }
}

/// Velocity (east, north) in knots from COG (degrees true) and SOG (knots).
pub fn velocity(cog_deg: f64, sog_kn: f64) -> Enu {
    let c = cog_deg.to_radians();
    Enu {
        east: sog_kn * c.sin(),
        north: sog_kn * c.cos(),
    }
}

/// Dead-reckon a position forward by `dt_s` seconds along the rhumb line
/// (constant course, as a ship steers), by mid-latitude sailing.
pub fn extrapolate(p: (f64, f64), cog_deg: f64, sog_kn: f64, dt_s: f64) -> (f64, f64) {
    let v = velocity(cog_deg, sog_kn);
    let h = dt_s / 3600.0;
    let lat = p.0 + v.north * h / NM_PER_DEG;
    let coslat = ((p.0 + lat) / 2.0).to_radians().cos().max(1e-6);
    let mut lon = p.1 + v.east * h / (NM_PER_DEG * coslat);
    if lon > 180.0 {
        lon -= 360.0;
    } else if lon < -180.0 {
        lon += 360.0;
    }
    (lat.clamp(-90.0, 90.0), lon)
}

/// Bearing (degrees true, 0–360) and range (NM) from `from` to `to`.
pub fn bearing_range(from: (f64, f64), to: (f64, f64)) -> (f64, f64) {
    let d = project(from, to);
    let range = d.east.hypot(d.north);
    let mut brg = d.east.atan2(d.north).to_degrees();
    if brg < 0.0 {
        brg += 360.0;
    }
    (brg, range)
}

/// Closest point of approach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cpa {
    /// Distance at the closest point, NM.
    pub cpa_nm: f64,
    /// Minutes until the closest point; negative when it is past.
    pub tcpa_min: f64,
}

/// CPA/TCPA of a target relative to own ship, both at the same instant:
/// `rel` is the target's position relative to own ship (NM), `v_own` and
/// `v_target` velocities in knots.
pub fn cpa(rel: Enu, v_own: Enu, v_target: Enu) -> Cpa {
    let vx = v_target.east - v_own.east;
    let vy = v_target.north - v_own.north;
    let v2 = vx * vx + vy * vy;
    if v2 < 1e-9 {
        // No relative motion: the range stays what it is.
        return Cpa {
            cpa_nm: rel.east.hypot(rel.north),
            tcpa_min: 0.0,
        };
    }
    let t_h = -(rel.east * vx + rel.north * vy) / v2;
    let cx = rel.east + vx * t_h;
    let cy = rel.north + vy * t_h;
    Cpa {
        cpa_nm: cx.hypot(cy),
        tcpa_min: t_h * 60.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearing_and_range_of_a_target_due_east() {
        let (b, r) = bearing_range(
            (54.0, 10.0),
            (54.0, 10.0 + 1.0 / (60.0 * 54f64.to_radians().cos())),
        );
        assert!((b - 90.0).abs() < 1e-6);
        assert!((r - 1.0).abs() < 1e-9);
    }

    #[test]
    fn head_on_cpa() {
        let c = cpa(
            Enu {
                east: 0.0,
                north: 4.0,
            },
            velocity(0.0, 10.0),
            velocity(180.0, 10.0),
        );
        assert!(c.cpa_nm < 1e-9);
        assert!((c.tcpa_min - 12.0).abs() < 1e-9);
    }
}
