/**
 * The local-mode demo at `/demo`: a phone field and a button. The page loads the SDK from
 * `/v1/sdk.js`, calls `SmsShield.protect()`, and posts the phone number with the solved
 * challenge and device token to `/demo/send` — the stand-in for the tenant's own backend,
 * which adds the API key the browser never sees and calls `/v1/sms/send`.
 */
export function demoPage(tenant: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMS Shield demo</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input { font: inherit; padding: .5rem; width: 16rem; }
  button { font: inherit; padding: .5rem 1rem; margin-left: .5rem; }
  #status { margin-top: 1rem; }
  pre { background: #f3f4f6; padding: 1rem; overflow-x: auto; }
  .allow { color: #116329; } .challenge { color: #9a6700; } .block { color: #b42318; }
</style>
</head>
<body>
<h1>SMS Shield demo</h1>
<p>Sends a code to the local outbox (<code>.sms-shield/outbox.jsonl</code>) through the full flow: the SDK solves a
proof-of-work challenge and gets a signed device token, the demo backend adds the <code>${tenant}</code> tenant's API key
and calls <code>/v1/sms/send</code> with scenario <code>register</code>.</p>
<form id="send-form">
  <label for="phone">Phone number</label>
  <input id="phone" name="phone" type="tel" autocomplete="tel" value="+44 7400 123456" required>
  <button id="send" type="submit">Send code</button>
</form>
<p id="status" role="status"></p>
<pre id="result" hidden></pre>
<script src="/v1/sdk.js"></script>
<script>
const form = document.getElementById('send-form');
const status = document.getElementById('status');
const result = document.getElementById('result');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = document.getElementById('send');
  button.disabled = true;
  result.hidden = true;
  status.className = '';
  status.textContent = 'Solving the challenge…';
  try {
    const protection = await SmsShield.protect({ endpoint: location.origin, tenant: ${JSON.stringify(tenant)} });
    status.textContent = 'Solved level ' + protection.level + ' in ' + protection.solveMs + ' ms; sending…';
    const res = await fetch('/demo/send', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: document.getElementById('phone').value, challenge: protection.challenge, device: protection.device }),
    });
    const body = await res.json();
    const decision = body.verdict ? body.verdict.decision : 'error';
    status.className = decision;
    status.textContent = res.status + ' ' + decision + (body.sent ? ': the code is in the outbox' : '') +
      ' (challenge level ' + protection.level + ', solved in ' + protection.solveMs + ' ms)';
    result.textContent = JSON.stringify(body, null, 2);
    result.hidden = false;
    document.body.dataset.status = String(res.status);
    document.body.dataset.solveMs = String(protection.solveMs);
    document.body.dataset.level = String(protection.level);
  } catch (error) {
    status.className = 'block';
    status.textContent = String(error);
    document.body.dataset.status = 'error';
  } finally {
    button.disabled = false;
  }
});
</script>
</body>
</html>
`;
}
