//! Shared traffic for the benchmarks: target `i` of a spiral around own
//! ship at 54°30'N 011°00'E, within ~20 NM, with varied course and speed.

use bridgewatch::sim;

/// Own ship's RMC at `ms`, tagged.
pub fn own_rmc(ms: i64) -> String {
    sim::tagged(&sim::rmc(ms, (54.5, 11.0), 90.0, 12.0), ms)
}

/// Position report sentences of spiral target `i` at `ms`, tagged.
pub fn report(i: u32, ms: i64) -> Vec<String> {
    let a = f64::from(i) * 0.618_034 * std::f64::consts::TAU;
    let r = 20.0 * (f64::from(i % 1000) / 1000.0).sqrt();
    let lat = 54.5 + r * a.cos() / 60.0;
    let lon = 11.0 + r * a.sin() / (60.0 * 54.5f64.to_radians().cos());
    let cog = f64::from((i * 37) % 3600) / 10.0;
    let sog = f64::from(i % 200) / 10.0;
    let m = sim::class_a(200_000_000 + i, (lat, lon), Some(cog), sog, 0, 0);
    sim::vdm(&m, ms, false, 'A', 0)
}
