//! Retention benchmarks: Bessemer's GRR/NRR bands by customer segment, SaaS Capital's medians and
//! the SaaS quick ratio, each next to the citation an artifact shows with it.

/// Bessemer Venture Partners, State of the Cloud 2019: GRR and NRR bands by customer segment.
pub const BESSEMER: &str = "Bessemer Venture Partners, State of the Cloud 2019: GRR and NRR by customer segment (SMB, mid-market, enterprise)";
/// SaaS Capital, 2023 retention benchmarks: medians across ACV bands.
pub const SAAS_CAPITAL: &str = "SaaS Capital, 2023 B2B SaaS retention benchmarks: median NRR 100-110% and GRR 90-93% across ACV bands";
/// Mamoon Hamid (Social Capital): the SaaS quick ratio and its bar of 4.
pub const QUICK_RATIO: &str = "Mamoon Hamid (Social Capital), SaaS quick ratio = (new + expansion + reactivation) / (churn + contraction); above 4 is strong";

/// The customer segments Bessemer reports retention for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Small and medium businesses.
    Smb,
    /// Mid-market companies.
    MidMarket,
    /// Enterprises.
    Enterprise,
}

impl Segment {
    /// The wire name, e.g. `mid-market`.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Smb => "smb",
            Segment::MidMarket => "mid-market",
            Segment::Enterprise => "enterprise",
        }
    }

    /// A human label, e.g. "Mid-market".
    pub fn label(self) -> &'static str {
        match self {
            Segment::Smb => "SMB",
            Segment::MidMarket => "Mid-market",
            Segment::Enterprise => "Enterprise",
        }
    }
}

/// A benchmark band of annual retention; `high: None` means "above `low`".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Lower bound, as a fraction.
    pub low: f64,
    /// Upper bound, as a fraction; none for an open band.
    pub high: Option<f64>,
}

/// Annual gross revenue retention band of a segment (Bessemer 2019).
pub fn grr_band(segment: Segment) -> Band {
    match segment {
        Segment::Smb => Band {
            low: 0.70,
            high: Some(0.80),
        },
        Segment::MidMarket => Band {
            low: 0.80,
            high: Some(0.90),
        },
        Segment::Enterprise => Band {
            low: 0.90,
            high: None,
        },
    }
}

/// Annual net revenue retention band of a segment (Bessemer 2019).
pub fn nrr_band(segment: Segment) -> Band {
    match segment {
        Segment::Smb => Band {
            low: 0.80,
            high: Some(1.00),
        },
        Segment::MidMarket => Band {
            low: 0.90,
            high: Some(1.20),
        },
        Segment::Enterprise => Band {
            low: 1.00,
            high: None,
        },
    }
}

/// SaaS Capital 2023 median NRR range across ACV bands.
pub const SAAS_CAPITAL_NRR: Band = Band {
    low: 1.00,
    high: Some(1.10),
};
/// SaaS Capital 2023 median GRR range across ACV bands.
pub const SAAS_CAPITAL_GRR: Band = Band {
    low: 0.90,
    high: Some(0.93),
};
/// A SaaS quick ratio above this is strong (Mamoon Hamid).
pub const QUICK_RATIO_STRONG: f64 = 4.0;
