//! The AI-IP server's store: the latest position report and static data of
//! every vessel, the square range search of §3.3.4.7, the deletion of
//! obsolete positions (§3.3.4.14) and directed messages kept for their
//! destination until it reports (§3.3.4.9).
//!
//! Behind the [`VesselStore`] trait so a database can replace the in-memory
//! [`InMemoryStore`] (§3.3.4.7 chose a square "to improve the search in a
//! relational database"). Sans-I/O: every time is passed in, in milliseconds
//! since the Unix epoch; the store never reads a clock.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use super::codec::Content;

/// A vessel's MMSI.
pub type Mmsi = u32;

/// A position in degrees, WGS-84.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    /// Latitude, degrees north (−90 to 90).
    pub lat_deg: f64,
    /// Longitude, degrees east (−180 to 180).
    pub lon_deg: f64,
}

impl GeoPoint {
    /// A point.
    pub fn new(lat_deg: f64, lon_deg: f64) -> Self {
        Self { lat_deg, lon_deg }
    }
}

// ---------------------------------------------------------------------------
// §3.3.4.7 — the square range
// ---------------------------------------------------------------------------

/// Equatorial radius, km (§3.3.4.7: "a = 6378,137000 km").
pub const A_KM: f64 = 6378.137;
/// Flattening (§3.3.4.7: "f = 1/298,257223563").
pub const F: f64 = 1.0 / 298.257_223_563;
/// "e2" exactly as §3.3.4.7 writes it: `e2 = 2 * f * (1-f)`.
///
/// The textbook WGS-84 first eccentricity squared is `f * (2 - f)`; the two
/// differ by f² ≈ 1.1e-5, which moves a 50 km square's edges by under 2 m.
/// We follow the standard's text.
pub const E2: f64 = 2.0 * F * (1.0 - F);

/// The square of §3.3.4.7 around a reporting position: "a minimum and maximum
/// coordinate [that] form a square … with the given range as maximum distance
/// from the original location going north-, south-, west- and eastbound".
///
/// The standard's flat-earth formulas (§3.3.4.7), angles in radians:
///
/// ```text
/// distance_North = R1 * (lat2 - lat1)
/// distance_East  = R2 * cos(lat1) * (lon2 - lon1)
/// R1 = a * (1 - e2) / (1 - e2 * (sin(lat1))^2)^(3/2)
/// R2 = a / sqrt(1 - e2 * (sin(lat1))^2)
/// a  = 6378.137 km, e2 = 2 * f * (1 - f), f = 1/298.257223563
/// ```
///
/// (The printed R2 has an unbalanced parenthesis, "sqrt (1- e2 *
/// sin(lat1))2)"; we read it as the prime-vertical radius above, the only
/// reading that balances and matches R1.) Solving for a distance equal to the
/// range gives the half-widths `Δlat = range / R1` and
/// `Δlon = range / (R2 · cos(lat1))`; the square is
/// `|lat − lat1| ≤ Δlat` and `|lon − lon1| ≤ Δlon`.
///
/// Where the standard is silent we decide:
/// - Longitude differences are taken across the antimeridian (the shorter
///   way round), so a square around 179.9° E includes 179.9° W.
/// - Latitudes are clamped to ±90°. If the square reaches a pole, or
///   `Δlon` is 180° or more (cos(lat1) → 0), every longitude is inside: the
///   flat-earth square has no meaning there and we prefer to include too
///   much rather than lose a vessel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SquareRange {
    center: GeoPoint,
    half_lat_deg: f64,
    /// `None` when every longitude is inside.
    half_lon_deg: Option<f64>,
}

/// R1 of §3.3.4.7: the meridian radius of curvature at `lat_rad`, km.
pub fn r1_km(lat_rad: f64) -> f64 {
    let s = lat_rad.sin();
    A_KM * (1.0 - E2) / (1.0 - E2 * s * s).powf(1.5)
}

/// R2 of §3.3.4.7: the prime-vertical radius of curvature at `lat_rad`, km.
pub fn r2_km(lat_rad: f64) -> f64 {
    let s = lat_rad.sin();
    A_KM / (1.0 - E2 * s * s).sqrt()
}

impl SquareRange {
    /// The square of half-width `range_km` around `center` (§3.3.4.7).
    pub fn around(center: GeoPoint, range_km: f64) -> Self {
        let range_km = range_km.max(0.0);
        let lat1 = center.lat_deg.to_radians();
        let half_lat_deg = (range_km / r1_km(lat1)).to_degrees();
        let east_radius = r2_km(lat1) * lat1.cos();
        let reaches_pole = center.lat_deg.abs() + half_lat_deg >= 90.0;
        let half_lon_deg = if reaches_pole || east_radius <= 0.0 {
            None
        } else {
            let d = (range_km / east_radius).to_degrees();
            (d < 180.0).then_some(d)
        };
        Self {
            center,
            half_lat_deg,
            half_lon_deg,
        }
    }

    /// Half the square's height, degrees of latitude.
    pub fn half_lat_deg(&self) -> f64 {
        self.half_lat_deg
    }

    /// Half the square's width, degrees of longitude; `None` when every
    /// longitude is inside.
    pub fn half_lon_deg(&self) -> Option<f64> {
        self.half_lon_deg
    }

    /// The minimum coordinate of §3.3.4.7 (south-west corner), longitude
    /// normalised to [−180, 180). Across the antimeridian the minimum
    /// longitude is greater than the maximum.
    pub fn min(&self) -> GeoPoint {
        GeoPoint::new(
            (self.center.lat_deg - self.half_lat_deg).max(-90.0),
            self.half_lon_deg
                .map_or(-180.0, |d| normalise_lon(self.center.lon_deg - d)),
        )
    }

    /// The maximum coordinate of §3.3.4.7 (north-east corner), longitude
    /// normalised to [−180, 180); 180 when every longitude is inside.
    pub fn max(&self) -> GeoPoint {
        GeoPoint::new(
            (self.center.lat_deg + self.half_lat_deg).min(90.0),
            self.half_lon_deg
                .map_or(180.0, |d| normalise_lon(self.center.lon_deg + d)),
        )
    }

    /// Whether `p` lies in the square (edges included).
    pub fn contains(&self, p: GeoPoint) -> bool {
        if !(p.lat_deg.is_finite() && p.lon_deg.is_finite()) {
            return false;
        }
        if (p.lat_deg - self.center.lat_deg).abs() > self.half_lat_deg {
            return false;
        }
        match self.half_lon_deg {
            None => true,
            Some(d) => normalise_lon(p.lon_deg - self.center.lon_deg).abs() <= d,
        }
    }
}

/// Longitude into [−180, 180).
fn normalise_lon(lon: f64) -> f64 {
    (lon + 180.0).rem_euclid(360.0) - 180.0
}

// ---------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------

/// The latest position report of a vessel (§3.3.4.5: AIS messages 1, 2, 3 —
/// and 18/19 for class B, AIIP.md Behaviour).
#[derive(Debug, Clone, PartialEq)]
pub struct PositionRecord {
    /// Where the report puts the vessel.
    pub position: GeoPoint,
    /// The report as received (VDM sentences), sent back unchanged in
    /// message-4 responses.
    pub sentences: Content,
    /// When the server received it, ms since the Unix epoch.
    pub received_ms: i64,
}

/// The latest static and voyage data of a vessel (§3.3.4.5: AIS message 5 and
/// the inland static and voyage data; 24 A/B for class B).
#[derive(Debug, Clone, PartialEq)]
pub struct StaticRecord {
    /// The data as received (VDM sentences).
    pub sentences: Content,
    /// When the server received it, ms since the Unix epoch.
    pub received_ms: i64,
}

/// A message addressed to one vessel (e.g. an RTA, AIS message 6 DAC 200
/// FI 22), waiting for it to report (§3.3.4.9).
#[derive(Debug, Clone, PartialEq)]
pub struct DirectedMessage {
    /// Who sent it.
    pub source: Mmsi,
    /// The message as received (VDM sentences).
    pub sentences: Content,
    /// When the server received it, ms since the Unix epoch.
    pub received_ms: i64,
}

/// A store refusing data because a bound was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The store already holds `capacity` vessels.
    VesselsFull { capacity: usize },
    /// `destination` already has `capacity` messages waiting.
    InboxFull { destination: Mmsi, capacity: usize },
    /// Directed messages wait for `capacity` destinations already.
    DestinationsFull { capacity: usize },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::VesselsFull { capacity } => write!(f, "store full: {capacity} vessels"),
            Self::InboxFull {
                destination,
                capacity,
            } => write!(f, "{capacity} messages already wait for {destination}"),
            Self::DestinationsFull { capacity } => {
                write!(f, "messages already wait for {capacity} destinations")
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// The server's store (§3.3.4.5, §3.3.4.7, §3.3.4.9, §3.3.4.14).
pub trait VesselStore {
    /// Stores `record` as the vessel's latest position report, replacing an
    /// older one (§3.3.4.5: insert if new, update if known). A record
    /// received earlier than the stored one is ignored; returns whether it
    /// was stored.
    fn upsert_position(&mut self, mmsi: Mmsi, record: PositionRecord) -> Result<bool, StoreError>;

    /// Stores `record` as the vessel's latest static data, with the same
    /// rules as [`VesselStore::upsert_position`].
    fn upsert_static(&mut self, mmsi: Mmsi, record: StaticRecord) -> Result<bool, StoreError>;

    /// The vessel's latest position report.
    fn position(&self, mmsi: Mmsi) -> Option<PositionRecord>;

    /// The vessel's latest static data.
    fn static_data(&self, mmsi: Mmsi) -> Option<StaticRecord>;

    /// The latest positions inside `square` (§3.3.4.7), in MMSI order,
    /// without `exclude` (the requester, AIIP.md Behaviour).
    fn in_range(&self, square: &SquareRange, exclude: Option<Mmsi>) -> Vec<(Mmsi, PositionRecord)>;

    /// Deletes position reports received more than `max_age_ms` before
    /// `now_ms` (§3.3.4.14; the server calls it with its tactical and its
    /// strategic limit as it sees fit). Static data stays. Returns how many
    /// positions were deleted.
    fn delete_obsolete(&mut self, now_ms: i64, max_age_ms: i64) -> usize;

    /// Keeps `message` for `destination` until it next reports (§3.3.4.9).
    fn store_directed(
        &mut self,
        destination: Mmsi,
        message: DirectedMessage,
    ) -> Result<(), StoreError>;

    /// Whether messages wait for `destination` (to set its flags, e.g. RTA).
    fn has_directed(&self, destination: Mmsi) -> bool;

    /// Hands over, oldest first, and forgets the messages waiting for
    /// `destination`.
    fn take_directed(&mut self, destination: Mmsi) -> Vec<DirectedMessage>;
}

/// Bounds of an [`InMemoryStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    /// Vessels with a position or static data.
    pub max_vessels: usize,
    /// Destinations with directed messages waiting.
    pub max_destinations: usize,
    /// Directed messages waiting per destination.
    pub max_directed_per_destination: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        Self {
            max_vessels: 100_000,
            max_destinations: 10_000,
            max_directed_per_destination: 64,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct VesselEntry {
    position: Option<PositionRecord>,
    static_data: Option<StaticRecord>,
}

/// Side of a cell of the position grid, degrees. A 10 km square covers
/// two to three cells each way at mid latitudes.
const CELL_DEG: f64 = 0.25;

/// The grid cell of a position.
fn cell(p: GeoPoint) -> (i32, i32) {
    (
        (p.lat_deg / CELL_DEG).floor() as i32,
        (p.lon_deg / CELL_DEG).floor() as i32,
    )
}

/// A [`VesselStore`] in memory, bounded by [`StoreLimits`]. Ordered by MMSI so
/// every answer is deterministic. Positions are also indexed on a grid of
/// [`CELL_DEG`] cells, so a range search looks at the vessels of the cells
/// the square touches, not at the whole fleet.
#[derive(Debug, Clone, Default)]
pub struct InMemoryStore {
    limits: StoreLimits,
    vessels: BTreeMap<Mmsi, VesselEntry>,
    directed: BTreeMap<Mmsi, Vec<DirectedMessage>>,
    cells: HashMap<(i32, i32), BTreeSet<Mmsi>>,
}

impl InMemoryStore {
    /// An empty store with these bounds.
    pub fn new(limits: StoreLimits) -> Self {
        Self {
            limits,
            vessels: BTreeMap::new(),
            directed: BTreeMap::new(),
            cells: HashMap::new(),
        }
    }

    fn unindex(&mut self, mmsi: Mmsi, p: GeoPoint) {
        let c = cell(p);
        if let Some(set) = self.cells.get_mut(&c) {
            set.remove(&mmsi);
            if set.is_empty() {
                self.cells.remove(&c);
            }
        }
    }

    /// The MMSIs of the cells `square` touches, or `None` when a scan of
    /// every vessel is cheaper (a square across the antimeridian or around
    /// a pole, or wider than the cells in use).
    fn candidates(&self, square: &SquareRange) -> Option<Vec<Mmsi>> {
        let (lo, hi) = (square.min(), square.max());
        square.half_lon_deg()?;
        if lo.lon_deg > hi.lon_deg {
            return None;
        }
        let (c0, c1) = (cell(lo), cell(hi));
        let n = i64::from(c1.0 - c0.0 + 1) * i64::from(c1.1 - c0.1 + 1);
        if n > self.cells.len() as i64 {
            return None;
        }
        let mut out = Vec::new();
        for la in c0.0..=c1.0 {
            for lo in c0.1..=c1.1 {
                if let Some(set) = self.cells.get(&(la, lo)) {
                    out.extend(set.iter().copied());
                }
            }
        }
        out.sort_unstable();
        Some(out)
    }

    /// Vessels known (with a position or static data).
    pub fn vessel_count(&self) -> usize {
        self.vessels.len()
    }

    fn entry(&mut self, mmsi: Mmsi) -> Result<&mut VesselEntry, StoreError> {
        if !self.vessels.contains_key(&mmsi) && self.vessels.len() >= self.limits.max_vessels {
            return Err(StoreError::VesselsFull {
                capacity: self.limits.max_vessels,
            });
        }
        Ok(self.vessels.entry(mmsi).or_default())
    }
}

impl VesselStore for InMemoryStore {
    fn upsert_position(&mut self, mmsi: Mmsi, record: PositionRecord) -> Result<bool, StoreError> {
        let entry = self.entry(mmsi)?;
        if entry
            .position
            .as_ref()
            .is_some_and(|old| old.received_ms > record.received_ms)
        {
            return Ok(false);
        }
        let new = record.position;
        let old = entry.position.replace(record).map(|o| o.position);
        if let Some(o) = old {
            if cell(o) == cell(new) {
                return Ok(true);
            }
            self.unindex(mmsi, o);
        }
        self.cells.entry(cell(new)).or_default().insert(mmsi);
        Ok(true)
    }

    fn upsert_static(&mut self, mmsi: Mmsi, record: StaticRecord) -> Result<bool, StoreError> {
        let entry = self.entry(mmsi)?;
        if entry
            .static_data
            .as_ref()
            .is_some_and(|old| old.received_ms > record.received_ms)
        {
            return Ok(false);
        }
        entry.static_data = Some(record);
        Ok(true)
    }

    fn position(&self, mmsi: Mmsi) -> Option<PositionRecord> {
        self.vessels.get(&mmsi)?.position.clone()
    }

    fn static_data(&self, mmsi: Mmsi) -> Option<StaticRecord> {
        self.vessels.get(&mmsi)?.static_data.clone()
    }

    fn in_range(&self, square: &SquareRange, exclude: Option<Mmsi>) -> Vec<(Mmsi, PositionRecord)> {
        let keep = |mmsi: Mmsi, e: &VesselEntry| {
            if Some(mmsi) == exclude {
                return None;
            }
            let p = e.position.as_ref()?;
            square.contains(p.position).then(|| (mmsi, p.clone()))
        };
        match self.candidates(square) {
            Some(mmsis) => mmsis
                .into_iter()
                .filter_map(|m| keep(m, self.vessels.get(&m)?))
                .collect(),
            None => self
                .vessels
                .iter()
                .filter_map(|(m, e)| keep(*m, e))
                .collect(),
        }
    }

    fn delete_obsolete(&mut self, now_ms: i64, max_age_ms: i64) -> usize {
        let oldest_kept = now_ms.saturating_sub(max_age_ms);
        let mut gone = Vec::new();
        for (mmsi, entry) in self.vessels.iter_mut() {
            if entry
                .position
                .as_ref()
                .is_some_and(|p| p.received_ms < oldest_kept)
                && let Some(p) = entry.position.take()
            {
                gone.push((*mmsi, p.position));
            }
        }
        let deleted = gone.len();
        for (mmsi, p) in gone {
            self.unindex(mmsi, p);
        }
        self.vessels
            .retain(|_, e| e.position.is_some() || e.static_data.is_some());
        deleted
    }

    fn store_directed(
        &mut self,
        destination: Mmsi,
        message: DirectedMessage,
    ) -> Result<(), StoreError> {
        if !self.directed.contains_key(&destination)
            && self.directed.len() >= self.limits.max_destinations
        {
            return Err(StoreError::DestinationsFull {
                capacity: self.limits.max_destinations,
            });
        }
        let inbox = self.directed.entry(destination).or_default();
        if inbox.len() >= self.limits.max_directed_per_destination {
            return Err(StoreError::InboxFull {
                destination,
                capacity: self.limits.max_directed_per_destination,
            });
        }
        inbox.push(message);
        Ok(())
    }

    fn has_directed(&self, destination: Mmsi) -> bool {
        self.directed
            .get(&destination)
            .is_some_and(|v| !v.is_empty())
    }

    fn take_directed(&mut self, destination: Mmsi) -> Vec<DirectedMessage> {
        self.directed.remove(&destination).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};

    /// WGS-84 radii written independently of the standard's formulas: from
    /// the semi-minor axis b = a(1 − f) and the reduced latitude β, with the
    /// textbook e² = f(2 − f). M = (ab)² / (a² cos²φ + b² sin²φ)^(3/2); the
    /// parallel's radius is a·cos β with tan β = (1 − f) tan φ.
    fn independent_half_widths(lat_deg: f64, range_km: f64) -> (f64, f64) {
        let b = A_KM * (1.0 - F);
        let phi = lat_deg.to_radians();
        let (s, c) = phi.sin_cos();
        let m = (A_KM * b).powi(2) / (A_KM * A_KM * c * c + b * b * s * s).powf(1.5);
        let beta = ((1.0 - F) * phi.tan()).atan();
        let parallel = A_KM * beta.cos();
        (
            (range_km / m).to_degrees(),
            (range_km / parallel).to_degrees(),
        )
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn constants_are_the_standards() {
        assert_eq!(A_KM, 6378.137);
        assert_eq!(
            E2,
            2.0 * (1.0 / 298.257223563) * (1.0 - 1.0 / 298.257223563)
        );
    }

    #[test]
    fn half_widths_match_an_independent_computation() {
        for &lat in &[0.0, 23.5, 51.9, -33.0, 60.0, 75.0, 85.0, -88.0] {
            for &range in &[1.0, 15.0, 50.0, 255.0] {
                let sq = SquareRange::around(GeoPoint::new(lat, 10.0), range);
                let (dlat, dlon) = independent_half_widths(lat, range);
                assert!(
                    close(sq.half_lat_deg(), dlat, 1e-4),
                    "lat {lat} range {range}: {} vs {dlat}",
                    sq.half_lat_deg()
                );
                if let Some(d) = sq.half_lon_deg() {
                    assert!(
                        close(d, dlon, 1e-4),
                        "lat {lat} range {range}: {d} vs {dlon}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_ratio_of_radii_tells_apart_a_spherical_earth() {
        // At 52° N the meridian radius is ≈ 6 375 km and the prime-vertical
        // one ≈ 6 391 km; a sphere of 6 371 km would be off by more than 5e-4,
        // five times the tolerance above, so that check would catch it.
        let lat = 52f64.to_radians();
        assert!((r1_km(lat) - 6_371.0).abs() / 6_371.0 > 5e-4);
        assert!((r2_km(lat) - 6_371.0).abs() / 6_371.0 > 5e-4);
    }

    #[test]
    fn edges_lie_at_range_along_the_geodesic() {
        let g = Geodesic::wgs84();
        for &(lat, lon) in &[(51.9, 4.5), (0.0, 0.0), (-45.0, 179.95), (70.0, -179.99)] {
            let range_km = 50.0;
            let sq = SquareRange::around(GeoPoint::new(lat, lon), range_km);
            // North along the meridian.
            let (lat2, _lon2): (f64, f64) = g.direct(lat, lon, 0.0, range_km * 1000.0);
            assert!(
                close(sq.half_lat_deg(), lat2 - lat, 2e-4),
                "{} vs {}",
                sq.half_lat_deg(),
                lat2 - lat
            );
            // East along the parallel: the geodesic between the two points on
            // the parallel is a little shorter than the parallel's arc.
            let d = sq.half_lon_deg().expect("a finite width");
            let s12: f64 = g.inverse(lat, lon, lat, lon + d);
            assert!(close(s12, range_km * 1000.0, 2e-4), "{s12}");
        }
    }

    #[test]
    fn contains_across_the_antimeridian() {
        let sq = SquareRange::around(GeoPoint::new(-45.0, 179.9), 50.0);
        let d = sq.half_lon_deg().expect("finite");
        assert!(sq.contains(GeoPoint::new(-45.0, -179.9)));
        assert!(sq.contains(GeoPoint::new(-45.0, 179.9 - 0.99 * d)));
        assert!(!sq.contains(GeoPoint::new(-45.0, 179.9 - 1.01 * d)));
        assert!(sq.contains(GeoPoint::new(-45.0, normalise_lon(179.9 + 0.99 * d))));
        assert!(!sq.contains(GeoPoint::new(-45.0, normalise_lon(179.9 + 1.01 * d))));
        assert!(!sq.contains(GeoPoint::new(-45.0, 0.0)));
        assert!(
            sq.min().lon_deg > sq.max().lon_deg,
            "wraps: min {:?} max {:?}",
            sq.min(),
            sq.max()
        );
    }

    #[test]
    fn high_latitude_widens_and_the_pole_takes_every_longitude() {
        let sq = SquareRange::around(GeoPoint::new(85.0, 0.0), 50.0);
        let (_, dlon) = independent_half_widths(85.0, 50.0);
        assert!(close(sq.half_lon_deg().expect("finite"), dlon, 1e-4));
        assert!(sq.contains(GeoPoint::new(85.0, 0.99 * dlon)));
        assert!(!sq.contains(GeoPoint::new(85.0, 1.01 * dlon)));

        let polar = SquareRange::around(GeoPoint::new(89.9, 0.0), 50.0);
        assert_eq!(polar.half_lon_deg(), None);
        assert!(polar.contains(GeoPoint::new(89.9, 180.0)));
        assert_eq!(polar.max().lat_deg, 90.0);
        assert!(!polar.contains(GeoPoint::new(89.0, 0.0)));
        let south = SquareRange::around(GeoPoint::new(-90.0, 0.0), 1.0);
        assert_eq!(south.half_lon_deg(), None);
        assert!(!south.contains(GeoPoint::new(f64::NAN, 0.0)));
    }

    fn content(s: &str) -> Content {
        Content::new(s).expect("valid content")
    }

    fn pos(lat: f64, lon: f64, at: i64) -> PositionRecord {
        PositionRecord {
            position: GeoPoint::new(lat, lon),
            sentences: content("!AIVDM,1,1,,A,x,0*00"),
            received_ms: at,
        }
    }

    #[test]
    fn upsert_keeps_the_latest_and_range_excludes_the_requester() {
        let mut s = InMemoryStore::new(StoreLimits::default());
        assert_eq!(s.upsert_position(2, pos(51.9, 4.5, 1_000)), Ok(true));
        assert_eq!(s.upsert_position(2, pos(51.91, 4.5, 500)), Ok(false));
        assert_eq!(s.position(2).map(|p| p.position.lat_deg), Some(51.9));
        assert_eq!(s.upsert_position(2, pos(51.92, 4.5, 2_000)), Ok(true));
        s.upsert_position(1, pos(51.95, 4.6, 2_000)).expect("room");
        s.upsert_position(3, pos(53.0, 4.5, 2_000)).expect("room");
        let sq = SquareRange::around(GeoPoint::new(51.9, 4.5), 15.0);
        let found: Vec<Mmsi> = s
            .in_range(&sq, Some(2))
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert_eq!(found, [1]);
        let found: Vec<Mmsi> = s.in_range(&sq, None).into_iter().map(|(m, _)| m).collect();
        assert_eq!(found, [1, 2]);
    }

    #[test]
    fn obsolete_positions_go_static_data_stays() {
        let mut s = InMemoryStore::new(StoreLimits::default());
        s.upsert_position(1, pos(0.0, 0.0, 1_000)).expect("room");
        s.upsert_position(2, pos(0.0, 0.0, 5_000)).expect("room");
        s.upsert_static(
            1,
            StaticRecord {
                sentences: content("!AIVDM,static"),
                received_ms: 1_000,
            },
        )
        .expect("room");
        // Limit 3 s at t = 6 s: positions from before 3 s go.
        assert_eq!(s.delete_obsolete(6_000, 3_000), 1);
        assert_eq!(s.position(1), None);
        assert!(s.static_data(1).is_some());
        assert!(s.position(2).is_some());
        // Exactly at the limit is kept.
        assert_eq!(s.delete_obsolete(8_000, 3_000), 0);
        assert_eq!(s.delete_obsolete(8_001, 3_000), 1);
        assert_eq!(s.vessel_count(), 1);
    }

    #[test]
    fn directed_messages_wait_for_their_destination() {
        let mut s = InMemoryStore::new(StoreLimits {
            max_vessels: 1,
            max_destinations: 1,
            max_directed_per_destination: 2,
        });
        let msg = |at| DirectedMessage {
            source: 9,
            sentences: content("!AIVDM,rta"),
            received_ms: at,
        };
        assert!(!s.has_directed(7));
        s.store_directed(7, msg(1)).expect("room");
        s.store_directed(7, msg(2)).expect("room");
        assert_eq!(
            s.store_directed(7, msg(3)),
            Err(StoreError::InboxFull {
                destination: 7,
                capacity: 2
            })
        );
        assert_eq!(
            s.store_directed(8, msg(3)),
            Err(StoreError::DestinationsFull { capacity: 1 })
        );
        assert!(s.has_directed(7));
        let got: Vec<i64> = s.take_directed(7).iter().map(|m| m.received_ms).collect();
        assert_eq!(got, [1, 2]);
        assert!(!s.has_directed(7));
        assert!(s.take_directed(7).is_empty());

        s.upsert_position(1, pos(0.0, 0.0, 0)).expect("room");
        assert_eq!(
            s.upsert_position(2, pos(0.0, 0.0, 0)),
            Err(StoreError::VesselsFull { capacity: 1 })
        );
        assert_eq!(s.upsert_position(1, pos(0.0, 0.0, 1)), Ok(true));
    }

    proptest::proptest! {
        /// The grid search answers exactly what a scan of every vessel
        /// with the square's own `contains` answers, wherever the square
        /// is (antimeridian, poles, ranges up to 255 km), also after
        /// vessels moved and positions aged out.
        #[test]
        fn grid_search_equals_a_full_scan(
            fleet in proptest::collection::vec((-89.9f64..89.9, -180.0f64..180.0), 1..200),
            moves in proptest::collection::vec((0usize..200, -1.0f64..1.0, -1.0f64..1.0), 0..50),
            center in (-89.9f64..89.9, -180.0f64..180.0),
            range in 1u8..=255,
            cluster in proptest::bool::ANY,
        ) {
            let mut store = InMemoryStore::new(StoreLimits::default());
            let (clat, clon) = center;
            let place = |lat: f64, lon: f64| if cluster {
                // Most vessels near the centre, so the grid is used.
                GeoPoint::new((clat + lat / 90.0).clamp(-90.0, 90.0),
                              normalise_lon(clon + lon / 90.0))
            } else {
                GeoPoint::new(lat, lon)
            };
            for (i, (lat, lon)) in fleet.iter().enumerate() {
                let rec = PositionRecord {
                    position: place(*lat, *lon),
                    sentences: Content::empty(),
                    received_ms: if i % 7 == 0 { 0 } else { 1000 },
                };
                store.upsert_position(i as Mmsi, rec).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            }
            for (i, dlat, dlon) in moves {
                if let Some(old) = store.position(i as Mmsi) {
                    let p = GeoPoint::new((old.position.lat_deg + dlat).clamp(-90.0, 90.0),
                                          normalise_lon(old.position.lon_deg + dlon));
                    let rec = PositionRecord { position: p, sentences: Content::empty(), received_ms: 2000 };
                    store.upsert_position(i as Mmsi, rec).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
                }
            }
            store.delete_obsolete(1500, 1000);
            let square = SquareRange::around(GeoPoint::new(clat, clon), f64::from(range));
            let got: Vec<Mmsi> = store.in_range(&square, Some(3)).into_iter().map(|(m, _)| m).collect();
            let want: Vec<Mmsi> = store
                .vessels
                .iter()
                .filter(|(m, e)| **m != 3 && e.position.as_ref().is_some_and(|p| square.contains(p.position)))
                .map(|(m, _)| *m)
                .collect();
            proptest::prop_assert_eq!(got, want);
            let indexed: usize = store.cells.values().map(BTreeSet::len).sum();
            let held = store.vessels.values().filter(|e| e.position.is_some()).count();
            proptest::prop_assert_eq!(indexed, held);
        }
    }
}
