// Signs Stripe webhook payloads with the official stripe package and posts them to a running
// `cosos serve`. Usage: node stripe_webhooks.mjs URL SECRET UNIX_TIME (valid|rest)
// Prints one JSON object: the status (and body) of each case.
import Stripe from "stripe";

const [url, secret, timeText, mode] = process.argv.slice(2);
const timestamp = Number(timeText);
const stripe = new Stripe("sk_test_unused_for_signing");

const event = (id, type) =>
  JSON.stringify({ id, object: "event", type, data: { object: { id: "sub_0100042", object: "subscription" } } });
const sign = (payload, s = secret, t = timestamp) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret: s, timestamp: t });

async function post(payload, header) {
  const headers = { "content-type": "application/json" };
  if (header !== undefined) headers["stripe-signature"] = header;
  const response = await fetch(`${url}/webhooks/stripe`, { method: "POST", headers, body: payload });
  return { status: response.status, body: await response.text() };
}

const results = {};
const valid = event("evt_cosos_1", "customer.subscription.updated");
if (mode === "valid") {
  results.valid = await post(valid, sign(valid));
} else {
  const other = event("evt_cosos_2", "customer.subscription.deleted");
  results.tampered = await post(other, sign(valid));
  results.wrong_secret = await post(other, sign(other, "whsec_not_the_right_one"));
  results.stale = await post(other, sign(other, secret, timestamp - 301));
  results.no_header = await post(other, undefined);
  results.duplicate = await post(valid, sign(valid));
}
console.log(JSON.stringify(results));
