//! Points on the earth and distances between them.

use serde::{Deserialize, Serialize};

use crate::validation::{Collector, Invalid};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lon: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl GeoPoint {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.check(self.lat.is_finite() && (-90.0..=90.0).contains(&self.lat), "lat", "must be between -90 and 90");
        c.check(self.lon.is_finite() && (-180.0..=180.0).contains(&self.lon), "lon", "must be between -180 and 180");
        c.finish()
    }

    /// Great-circle distance in whole metres (haversine), rounded down.
    /// Geography is the one place floats belong; money and time never use them.
    pub fn distance_m(&self, other: &GeoPoint) -> i64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        let c = 2.0 * a.sqrt().min(1.0).asin();
        (EARTH_RADIUS_M * c) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_to_leeds_is_about_270_km() {
        let london = GeoPoint { lat: 51.5074, lon: -0.1278 };
        let leeds = GeoPoint { lat: 53.8008, lon: -1.5491 };
        let d = london.distance_m(&leeds);
        assert!((268_000..=274_000).contains(&d), "{d}");
    }

    #[test]
    fn out_of_range_coordinates_are_named() {
        let e = GeoPoint { lat: 91.0, lon: 0.0 }.validate().unwrap_err();
        assert_eq!(e.0[0].field, "lat");
    }
}
