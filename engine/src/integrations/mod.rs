//! Live data from SaaS APIs: Stripe and PostHog pullers, and what they share.

pub mod alerts;
pub mod apply;
pub mod credentials;
pub mod http;
pub mod insights;
pub mod posthog;
pub mod pull;
pub mod stripe;
pub mod webhook;
pub mod wire;
