//! Stripe: the API objects and the MRR metrics computed from them (DESIGN section 5).

pub mod amounts;
pub mod client;
pub mod discounts;
pub mod fx;
pub mod model;
pub mod mrr;
pub mod retention;
pub mod series;

#[cfg(test)]
mod fixtures;
