//! The Stripe puller: every subscription (`status=all`, 100 a page, discounts and their coupons
//! expanded), then each coupon that still arrived as an ID and each tiered price (tiers only come
//! from `GET /v1/prices/ID?expand[]=tiers`), each fetched once. Nothing is returned unless every
//! request succeeded, so a pull is all or nothing.

use std::collections::{BTreeSet, HashMap};

use serde::de::DeserializeOwned;
use thiserror::Error;

use super::model::{BillingScheme, Coupon, Discount, Expandable, List, Price, Subscription};
use super::mrr::Account;
use crate::integrations::credentials::StripeCredentials;
use crate::integrations::http::{self, HttpError, RetryPolicy};

/// Why a pull from Stripe failed. No variant carries the key.
#[derive(Debug, Error)]
pub enum StripeError {
    /// 401.
    #[error(
        "Stripe refused the API key (HTTP 401); check it, then run `cosos connect stripe` again"
    )]
    Unauthorized,
    /// 403.
    #[error(
        "the Stripe key may not read {0} (HTTP 403); use a secret key, or a restricted key with read access to Billing"
    )]
    Forbidden(String),
    /// 400 and other client errors.
    #[error("Stripe rejected the request for {what}: {message}")]
    Rejected {
        /// What was asked for.
        what: String,
        /// Stripe's message.
        message: String,
    },
    /// Stripe answered something that is not the documented shape.
    #[error("Stripe's answer for {what} could not be read: {reason}")]
    Shape {
        /// What was asked for.
        what: String,
        /// The parse error.
        reason: String,
    },
    /// 429/5xx/network after retries.
    #[error(transparent)]
    Http(HttpError),
    /// The configured API base is not a URL.
    #[error("the Stripe API base is not a valid URL")]
    BadBase,
}

/// How far a pull has got, for a progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullProgress {
    /// Requests done.
    pub requests: usize,
    /// Subscriptions listed so far.
    pub subscriptions: usize,
}

/// A client for one Stripe account.
pub struct StripeClient {
    http: reqwest::Client,
    base: url::Url,
    key: String,
    policy: RetryPolicy,
    service: String,
}

impl StripeClient {
    /// A client for `credentials`.
    pub fn new(
        credentials: &StripeCredentials,
        policy: RetryPolicy,
    ) -> Result<StripeClient, StripeError> {
        let base = url::Url::parse(&credentials.api_base).map_err(|_| StripeError::BadBase)?;
        Ok(StripeClient {
            http: reqwest::Client::new(),
            service: format!("Stripe at {}", http::origin(&credentials.api_base)),
            base,
            key: credentials.api_key.clone(),
            policy,
        })
    }

    /// Lists and fetches everything the metrics need.
    pub async fn fetch_account(
        &self,
        mut progress: impl FnMut(PullProgress),
    ) -> Result<Account, StripeError> {
        let mut state = PullProgress::default();
        let mut subscriptions: Vec<Subscription> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = vec![
                ("status", "all".to_string()),
                ("limit", "100".to_string()),
                ("expand[]", "data.discounts".to_string()),
                ("expand[]", "data.discounts.source.coupon".to_string()),
                // Discounts on single items; their coupons (a fifth level) come as IDs.
                ("expand[]", "data.items.data.discounts".to_string()),
            ];
            if let Some(id) = &after {
                query.push(("starting_after", id.clone()));
            }
            let page: List<Subscription> = self
                .get(&["v1", "subscriptions"], &query, "subscriptions")
                .await?;
            state.requests += 1;
            state.subscriptions += page.data.len();
            progress(state);
            after = page.data.last().map(|s| s.id.clone());
            let more = page.has_more && after.is_some();
            subscriptions.extend(page.data);
            if !more {
                break;
            }
        }

        let mut discounts: HashMap<String, Discount> = HashMap::new();
        let mut coupon_ids: BTreeSet<String> = BTreeSet::new();
        let mut tiered: BTreeSet<String> = BTreeSet::new();
        for sub in &subscriptions {
            let item_discounts = sub.items.data.iter().flat_map(|i| i.discounts.iter());
            for discount in sub.discounts.iter().chain(item_discounts) {
                if let Expandable::Object(d) = discount {
                    if let Some(Expandable::Id(coupon)) = d.coupon_ref() {
                        coupon_ids.insert(coupon.clone());
                    }
                    discounts.insert(d.id.clone(), (**d).clone());
                }
            }
            for item in &sub.items.data {
                if item.price.billing_scheme == BillingScheme::Tiered && item.price.tiers.is_none()
                {
                    tiered.insert(item.price.id.clone());
                }
            }
        }

        let mut coupons: HashMap<String, Coupon> = HashMap::new();
        for id in coupon_ids {
            let coupon: Coupon = self
                .get(&["v1", "coupons", &id], &[], &format!("coupon {id}"))
                .await?;
            state.requests += 1;
            progress(state);
            coupons.insert(id, coupon);
        }
        let mut prices: HashMap<String, Price> = HashMap::new();
        for id in tiered {
            let query = [("expand[]", "tiers".to_string())];
            let price: Price = self
                .get(&["v1", "prices", &id], &query, &format!("price {id}"))
                .await?;
            state.requests += 1;
            progress(state);
            prices.insert(id, price);
        }
        Ok(Account {
            subscriptions,
            discounts,
            coupons,
            prices,
        })
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &[&str],
        query: &[(&str, String)],
        what: &str,
    ) -> Result<T, StripeError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| StripeError::BadBase)?
            .pop_if_empty()
            .extend(path);
        url.query_pairs_mut().extend_pairs(query);
        let response = http::send(
            || self.http.get(url.clone()).bearer_auth(&self.key),
            &self.policy,
            &self.service,
            stripe_message,
        )
        .await
        .map_err(|e| classify(e, what))?;
        let body = response.text().await.map_err(|e| {
            StripeError::Http(HttpError::Network {
                service: self.service.clone(),
                reason: http::describe(&e),
            })
        })?;
        serde_json::from_str(&body).map_err(|e| StripeError::Shape {
            what: what.to_string(),
            reason: e.to_string(),
        })
    }
}

/// Stripe's `{"error": {"message": ...}}`.
fn stripe_message(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let message = value["error"]["message"].as_str()?;
    Some(message.chars().take(300).collect())
}

fn classify(error: HttpError, what: &str) -> StripeError {
    match &error {
        HttpError::Status {
            status, message, ..
        } => match status.as_u16() {
            // Stripe's 401 message quotes the key (masked); ours does not quote it at all.
            401 => StripeError::Unauthorized,
            403 => StripeError::Forbidden(what.to_string()),
            400..=499 if *status != reqwest::StatusCode::TOO_MANY_REQUESTS => {
                StripeError::Rejected {
                    what: what.to_string(),
                    message: message.clone().unwrap_or_else(|| format!("HTTP {status}")),
                }
            }
            _ => StripeError::Http(error),
        },
        HttpError::Network { .. } => StripeError::Http(error),
    }
}
