//! `cosos pull`: fetch everything, compute, keep a dated snapshot, fill artifacts' `data`, and
//! turn firing alert rules into insights.
//!
//! Nothing is written until every request of the pull has succeeded and the metrics are
//! computed, so a failed pull leaves the workspace exactly as it was.

use cosos_artifacts::kinds::LiveMetrics;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::alerts::{self, Insight, Readings, Rule};
use super::apply::{self, DataPatch};
use super::http::RetryPolicy;
use super::posthog;
use super::stripe::client::{PullProgress, StripeClient};
use super::stripe::fx::Fx;
use super::stripe::mrr;
use crate::error::EngineError;
use crate::workspace::Workspace;

/// Which sources to pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PullSource {
    /// Stripe only.
    Stripe,
    /// PostHog only.
    Posthog,
    /// Every connected source.
    All,
}

/// What to pull.
#[derive(Debug, Clone)]
pub struct PullRequest {
    /// Which sources.
    pub source: PullSource,
    /// `CUR=RATE` conversions to USD.
    pub fx: Vec<String>,
}

/// A Stripe pull as kept in the local snapshot table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StripeSnapshot {
    /// The metrics JSON of DESIGN section 5.
    pub metrics: Value,
    /// Retention statistics from the same history.
    pub retention: Value,
    /// The conversions used, so a webhook refresh uses them again.
    pub fx: Vec<String>,
}

/// What a pull did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullOutcome {
    /// The Stripe metrics, when Stripe was pulled.
    pub stripe: Option<Value>,
    /// The PostHog results, when PostHog was pulled.
    pub posthog: Option<Value>,
    /// Artifacts whose data changed.
    pub artifacts_updated: usize,
    /// Insights added by this pull.
    pub insights: Vec<Insight>,
}

const STRIPE: &str = "stripe";

impl Workspace {
    /// Pulls the requested sources; `progress` hears how far the Stripe pull has got.
    pub async fn pull(
        &self,
        request: &PullRequest,
        progress: impl FnMut(PullProgress),
    ) -> Result<PullOutcome, EngineError> {
        let (want_stripe, want_posthog) = match request.source {
            PullSource::Stripe => (true, false),
            PullSource::Posthog => (false, true),
            PullSource::All => {
                let stripe = self.stripe_credentials()?.is_some();
                let posthog = self.posthog_credentials()?.is_some();
                if !stripe && !posthog {
                    return Err(EngineError::Integration(
                        "nothing is connected yet: run `cosos connect stripe` or `cosos connect posthog`".into(),
                    ));
                }
                (stripe, posthog)
            }
        };
        // Fetch everything before writing anything.
        let stripe = if want_stripe {
            Some(self.fetch_stripe(&request.fx, progress).await?)
        } else {
            None
        };
        let posthog = if want_posthog {
            Some(self.fetch_posthog().await?)
        } else {
            None
        };
        if let Some(snapshot) = &stripe {
            let json = serde_json::to_vec(snapshot)
                .map_err(|e| EngineError::Integration(e.to_string()))?;
            let as_of = snapshot.metrics["as_of"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            self.local().put_snapshot(STRIPE, &as_of, &json)?;
        }
        let (artifacts_updated, insights) =
            self.apply_pulled(stripe.as_ref(), posthog.as_ref()).await?;
        Ok(PullOutcome {
            stripe: stripe.map(|s| s.metrics),
            posthog,
            artifacts_updated,
            insights,
        })
    }

    async fn fetch_stripe(
        &self,
        fx: &[String],
        progress: impl FnMut(PullProgress),
    ) -> Result<StripeSnapshot, EngineError> {
        let credentials = self.stripe_credentials()?.ok_or_else(|| {
            EngineError::Integration(
                "Stripe is not connected: run `cosos connect stripe --api-key-env STRIPE_SECRET_KEY`"
                    .into(),
            )
        })?;
        let rates = Fx::parse(fx).map_err(|e| EngineError::Integration(e.to_string()))?;
        let client = StripeClient::new(&credentials, RetryPolicy::from_env())
            .map_err(|e| EngineError::Integration(e.to_string()))?;
        let account = client
            .fetch_account(progress)
            .await
            .map_err(|e| EngineError::Integration(e.to_string()))?;
        let history = mrr::history(&account, self.clock().now(), &rates)
            .map_err(|e| EngineError::Integration(e.to_string()))?;
        let to_json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| EngineError::Integration(e.to_string()))
        };
        Ok(StripeSnapshot {
            metrics: to_json(serde_json::to_value(mrr::metrics(&history)))?,
            retention: to_json(serde_json::to_value(mrr::retention(&history)))?,
            fx: fx.to_vec(),
        })
    }

    /// The default funnel over the last 30 days and weekly retention over 8 weeks, plus the
    /// funnel of each activation artifact that names its own events in `params.posthog_funnel`
    /// (`{"steps": [...], "window_days": 14}`).
    async fn fetch_posthog(&self) -> Result<Value, EngineError> {
        let credentials = self.posthog_credentials()?.ok_or_else(|| {
            EngineError::Integration(
                "PostHog is not connected: run `cosos connect posthog --api-key phx_... --project-id N`"
                    .into(),
            )
        })?;
        let fail = |e: posthog::PostHogError| EngineError::Integration(e.to_string());
        let config = posthog::PostHogConfig::new(credentials.project_id, credentials.api_key)
            .with_host(credentials.host);
        let client = posthog::PostHogClient::new(config).map_err(fail)?;
        let today = self.clock().now().date_naive();
        let from = today - chrono::Days::new(29);
        let funnel = posthog::funnel(&client, &posthog::FunnelSpec::new(from, today))
            .await
            .map_err(fail)?;
        let retention = posthog::retention(&client, &posthog::RetentionSpec::new(today))
            .await
            .map_err(fail)?;
        let mut custom = serde_json::Map::new();
        for (id, entry) in &self.read_index().await?.artifacts {
            if entry.kind != "activation_funnel" || entry.archived == Some(true) {
                continue;
            }
            let record = self.get(id).await?;
            let own = &record.params["posthog_funnel"];
            if own.is_null() {
                continue;
            }
            let mut spec = posthog::FunnelSpec::new(from, today);
            if let Some(steps) = own["steps"].as_array() {
                spec.steps = steps
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect();
            }
            if let Some(days) = own["window_days"].as_u64() {
                spec.window_days = u32::try_from(days).unwrap_or(u32::MAX);
            }
            let result = posthog::funnel(&client, &spec).await.map_err(fail)?;
            custom.insert(id.clone(), to_value(&result)?);
        }
        Ok(serde_json::json!({
            "synced_at": self.clock().now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "funnel": to_value(&funnel)?,
            "retention": to_value(&retention)?,
            "artifact_funnels": custom,
        }))
    }

    /// Pulls Stripe again with the conversions of the last pull (after a webhook).
    pub async fn refresh_stripe(&self) -> Result<PullOutcome, EngineError> {
        let fx = self.stripe_snapshot()?.map(|s| s.fx).unwrap_or_default();
        let request = PullRequest {
            source: PullSource::Stripe,
            fx,
        };
        self.pull(&request, |_| {}).await
    }

    /// The latest Stripe pull, if any.
    pub fn stripe_snapshot(&self) -> Result<Option<StripeSnapshot>, EngineError> {
        match self.local().latest_snapshot(STRIPE)? {
            None => Ok(None),
            Some(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                EngineError::Integration(format!("the last Stripe snapshot is unreadable: {e}"))
            }),
        }
    }

    /// The metrics JSON of the latest Stripe pull.
    pub fn metrics(&self) -> Result<Option<Value>, EngineError> {
        Ok(self.stripe_snapshot()?.map(|s| s.metrics))
    }

    /// When `name` was last pulled.
    pub(crate) fn last_pull(&self, name: &str) -> Result<Option<String>, EngineError> {
        Ok(match name {
            STRIPE => self
                .stripe_snapshot()?
                .and_then(|s| s.metrics["as_of"].as_str().map(str::to_string)),
            _ => None,
        })
    }

    /// What a new artifact may use instead of estimates: the latest Stripe numbers.
    pub fn live_metrics(&self) -> Option<LiveMetrics> {
        let metrics = self.stripe_snapshot().ok()??.metrics;
        Some(LiveMetrics {
            source: STRIPE.to_string(),
            mrr: metrics["mrr"].as_f64()?,
            customers: metrics["customers"].as_u64()?,
            arpa: metrics["arpa"].as_f64(),
            as_of: metrics["as_of"].as_str()?.to_string(),
        })
    }

    /// Writes pulled data into every artifact that uses it and records firing alerts.
    async fn apply_pulled(
        &self,
        stripe: Option<&StripeSnapshot>,
        posthog: Option<&Value>,
    ) -> Result<(usize, Vec<Insight>), EngineError> {
        let now = self.clock().now();
        let now_month = now.format("%Y-%m").to_string();
        let index = self.read_index().await?;
        let mut records = Vec::new();
        for (id, entry) in &index.artifacts {
            if entry.archived == Some(true) {
                continue;
            }
            records.push(self.get(id).await?);
        }
        // A board pack's MRR plan comes from the workspace's MRR tracker, when there is one.
        let tracker_plan = records
            .iter()
            .filter(|r| r.kind == "mrr_tracker")
            .max_by_key(|r| r.created_at.clone())
            .and_then(|r| apply::tracker_plan(&r.content, &now_month));
        let mut updated = 0;
        let mut insights = Vec::new();
        for record in &records {
            let (mut patch, mut readings) = stripe
                .and_then(|s| {
                    stripe_patch(&record.kind, &record.content, s, &now_month, tracker_plan)
                })
                .unwrap_or_default();
            if let Some(p) = posthog {
                let (more, more_readings) = posthog_patch(&record.id, &record.kind, p);
                patch.extend(more);
                readings = merge(readings, more_readings);
            }
            if patch.is_empty() {
                continue;
            }
            self.set_artifact_data(&record.id, patch).await?;
            updated += 1;
            let rules: Vec<Rule> =
                serde_json::from_value(record.content["alerts"].clone()).unwrap_or_default();
            for firing in alerts::evaluate(&rules, &readings) {
                insights.push(Insight {
                    id: format!("{}:{}:{now_month}", record.id, firing.rule.id),
                    artifact: record.id.clone(),
                    at: self.clock().now_ms(),
                    severity: alerts::severity(&firing).to_string(),
                    text: format!("{}: {}", record.title, alerts::describe(&firing)),
                });
            }
        }
        let added = self.add_insights(insights).await?;
        Ok((updated, added))
    }
}

/// What a Stripe pull puts in an artifact of `kind`, and the readings its alerts see; `None` for
/// kinds that do not use billing data.
pub(crate) fn stripe_patch(
    kind: &str,
    content: &Value,
    snapshot: &StripeSnapshot,
    now_month: &str,
    tracker_plan: Option<f64>,
) -> Option<(DataPatch, Readings)> {
    let common = apply::stripe_readings(&snapshot.metrics, &snapshot.retention);
    match kind {
        "mrr_tracker" => {
            let (patch, readings) = apply::mrr_tracker(content, &snapshot.metrics, now_month);
            Some((patch, merge(common, readings)))
        }
        "retention_analysis" => Some((
            apply::retention_analysis(&snapshot.metrics, &snapshot.retention),
            common,
        )),
        "board_prep" => {
            let mut readings = Readings::default();
            if let Some(plan) = tracker_plan {
                readings.plans.insert("mrr".into(), plan);
            }
            Some((
                apply::board_prep(&snapshot.metrics, tracker_plan),
                merge(common, readings),
            ))
        }
        _ => None,
    }
}

/// What a PostHog pull puts in an artifact: the funnel in an activation artifact (its own, when
/// it names its events), product retention cohorts in a retention analysis.
fn posthog_patch(id: &str, kind: &str, pulled: &Value) -> (DataPatch, Readings) {
    let mut patch = DataPatch::new();
    let mut readings = Readings::default();
    match kind {
        "activation_funnel" => {
            let own = &pulled["artifact_funnels"][id];
            let funnel = if own.is_null() {
                &pulled["funnel"]
            } else {
                own
            };
            patch.insert("funnel".into(), funnel.clone());
            patch.insert("funnel_source".into(), Value::from("posthog"));
            patch.insert("posthog_synced_at".into(), pulled["synced_at"].clone());
            let last = funnel["steps"].as_array().and_then(|s| s.last());
            if let Some(rate) = last.and_then(|s| s["conversion_from_start"].as_f64()) {
                readings.values.insert("activation_rate".into(), rate);
            }
        }
        "retention_analysis" => {
            patch.insert("product_retention".into(), pulled["retention"].clone());
            patch.insert("posthog_synced_at".into(), pulled["synced_at"].clone());
        }
        _ => {}
    }
    (patch, readings)
}

fn to_value(v: &impl Serialize) -> Result<Value, EngineError> {
    serde_json::to_value(v).map_err(|e| EngineError::Integration(e.to_string()))
}

fn merge(mut base: Readings, extra: Readings) -> Readings {
    base.values.extend(extra.values);
    base.plans.extend(extra.plans);
    base
}

impl Workspace {
    /// Sets `patch`'s keys in artifact `id`'s `data` map (other keys stay), as one change.
    pub async fn set_artifact_data(&self, id: &str, patch: DataPatch) -> Result<(), EngineError> {
        let handle = self.artifact_handle(id).await?;
        self.change(&handle, Vec::new(), move |doc| {
            crate::workspace::transact(doc, |tx| {
                use automerge::transaction::Transactable;
                use automerge::{ObjType, ROOT, ReadDoc};
                let data = match tx.get(ROOT, "data") {
                    Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => obj,
                    _ => tx
                        .put_object(ROOT, "data", ObjType::Map)
                        .map_err(|e| EngineError::Integration(e.to_string()))?,
                };
                for (key, value) in patch {
                    autosurgeon::reconcile_prop(
                        tx,
                        &data,
                        key.as_str(),
                        crate::json_tree::JsonTree::normalized(value),
                    )
                    .map_err(crate::edits::reconcile_err)?;
                }
                Ok(())
            })
        })
        .await
    }
}
