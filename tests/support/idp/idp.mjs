// Copyright (c) community.camunda contributors
// GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
//
// The test identity provider of community.camunda: a real oidc-provider (OpenID Certified)
// behind a Keycloak-like issuer, plus an Auth0-like SaaS token endpoint and a small admin API
// for tests. Started by tests/support/idp/oidc_provider.py with one argument, the path of a
// JSON configuration file; prints one JSON "ready" line on stdout once it listens.

import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { parse as parseForm } from 'node:querystring';

import Provider, { errors } from 'oidc-provider';

// Keycloak's layout below the realm, so that URLs look like the ones Camunda users configure.
const ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  jwks: '/protocol/openid-connect/certs',
  userinfo: '/protocol/openid-connect/userinfo',
  introspection: '/protocol/openid-connect/token/introspect',
  revocation: '/protocol/openid-connect/revoke',
  end_session: '/protocol/openid-connect/logout',
};
const ADMIN_PREFIX = '/__idp__/';
const CLIENT_AUTH_METHODS = [
  'client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth',
  'private_key_jwt',
];

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const state = {
  ttl: config.token_ttl,
  faults: null,
  // client id -> { ok, failed }: every request that reached a token endpoint
  counts: new Map(),
  // why recent token requests were refused: the spec keeps that out of the answer, tests need it
  refusals: [],
  // traps for diagnosis tests: what the next tokens carry instead of the truth (see setTokenShape)
  shape: {},
};
const KEPT_REFUSALS = 50;
const TOKEN_SHAPE_FIELDS = ['audience', 'issuer', 'kid', 'clock_offset_s'];

// ---------------------------------------------------------------------------------------------
// errors shaped as the IdPs we imitate send them

class HttpError extends errors.OIDCProviderError {
  constructor(status, error, description) {
    super(status, error);
    this.error_description = description;
  }
}

function saasAudienceOf(ctx) {
  const audience = ctx.oidc.body?.audience;
  if (!audience) {
    throw new HttpError(400, 'invalid_request',
      'the audience parameter is required (for Camunda SaaS: zeebe.camunda.io)');
  }
  if (!config.saas_audiences.includes(audience)) {
    throw new HttpError(403, 'access_denied', `Service not found: ${audience}`);
  }
  return audience;
}

// ---------------------------------------------------------------------------------------------
// resource servers: the audience of the JWT access tokens

function resourceServer(audience) {
  return {
    audience,
    scope: config.scopes.join(' '),
    accessTokenTTL: state.ttl,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}

// A resource indicator must be an absolute URI; the SaaS endpoint takes Auth0's `audience`
// instead, so its requests get a placeholder indicator and the audience decides.
const SAAS_RESOURCE = 'urn:community-camunda:saas-audience';

function defaultResource(ctx) {
  return ctx.req.saasEndpoint ? SAAS_RESOURCE : config.resource;
}

function getResourceServerInfo(ctx, indicator) {
  if (ctx.req.saasEndpoint) {
    return resourceServer(saasAudienceOf(ctx));
  }
  if (indicator === config.resource) {
    return resourceServer(config.audience);
  }
  throw new errors.InvalidTarget(`unknown resource indicator; this IdP knows ${config.resource}`);
}

// ---------------------------------------------------------------------------------------------
// mutual TLS: the HTTPS server asks for a client certificate and checks it against our CA, but
// lets the handshake finish either way so that a refusal is a proper invalid_client answer.

function peerCertificate(ctx) {
  const { socket } = ctx;
  return typeof socket.getPeerX509Certificate === 'function'
    ? socket.getPeerX509Certificate() : undefined;
}

// Node prints a subject most significant RDN first, one per line; RFC 4514 (what clients are
// registered with, as Python's cryptography writes it) is the reverse, comma separated.
function subjectAsRfc4514(certificate) {
  return certificate.subject.split('\n').reverse().join(',');
}

function normalizeDn(dn) {
  return dn.split(',').map((rdn) => {
    const [type, ...value] = rdn.split('=');
    return `${type.trim().toUpperCase()}=${value.join('=').trim()}`;
  }).join(',');
}

function certificateSubjectMatches(ctx, property, expected) {
  const certificate = peerCertificate(ctx);
  if (property !== 'tls_client_auth_subject_dn' || !certificate) {
    return false;
  }
  return normalizeDn(subjectAsRfc4514(certificate)) === normalizeDn(expected);
}

// ---------------------------------------------------------------------------------------------
// clients

function selfSignedJwks(certificatePath) {
  const certificate = new X509Certificate(readFileSync(certificatePath));
  const jwk = certificate.publicKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, use: 'sig', x5c: [certificate.raw.toString('base64')] }] };
}

function clientMetadata(client) {
  const metadata = {
    client_id: client.client_id,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: client.auth_method,
  };
  if (client.client_secret) metadata.client_secret = client.client_secret;
  if (client.subject_dn) metadata.tls_client_auth_subject_dn = client.subject_dn;
  if (client.certificate) metadata.jwks = selfSignedJwks(client.certificate);
  return metadata;
}

// ---------------------------------------------------------------------------------------------
// the provider

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

async function renderErrorAsJson(ctx, out) {
  ctx.type = 'json';
  ctx.body = out;
}

// The clock of this IdP as a test may skew it (seconds since the epoch).
function idpNow() {
  return Math.floor(Date.now() / 1000) + (state.shape.clock_offset_s || 0);
}

// Traps for the diagnosis tests: a wrong audience, another issuer, a key id that is not in the JWKS,
// and a skewed clock (iat and exp shifted as a clock ahead or behind would write them). The token is
// still signed with the real key, as a misconfigured IdP would sign it.
async function shapeToken(ctx, token, jwt) {
  const { shape } = state;
  if (shape.audience) jwt.payload.aud = shape.audience;
  if (shape.issuer) jwt.payload.iss = shape.issuer;
  if (shape.kid) jwt.header = { ...jwt.header, kid: shape.kid };
  if (shape.clock_offset_s) {
    jwt.payload.iat += shape.clock_offset_s;
    jwt.payload.exp += shape.clock_offset_s;
  }
}

function createProvider(issuer) {
  return new Provider(issuer, {
    formats: { customizers: { jwt: shapeToken } },
    clients: config.clients.map(clientMetadata),
    clientAuthMethods: CLIENT_AUTH_METHODS,
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    routes: ROUTES,
    renderError: renderErrorAsJson,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource,
        getResourceServerInfo,
        useGrantedResource: () => true,
      },
      mTLS: {
        enabled: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: peerCertificate,
        certificateAuthorized: (ctx) => ctx.socket.authorized === true,
        certificateSubjectMatches,
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// token request accounting and injected faults

function basicAuthClientId(header) {
  const [scheme, value] = (header || '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  try {
    return colon < 0 ? undefined : decodeURIComponent(decoded.slice(0, colon));
  } catch {
    return undefined; // malformed: oidc-provider refuses it, we only count it
  }
}

// Who a token request was for, whether or not it authenticated.
function clientIdOf(ctx) {
  return ctx.oidc.client?.clientId || ctx.oidc.body?.client_id
    || basicAuthClientId(ctx.headers.authorization) || '';
}

function record(clientId, ok) {
  const key = clientId || '';
  const entry = state.counts.get(key) || { ok: 0, failed: 0 };
  entry[ok ? 'ok' : 'failed'] += 1;
  state.counts.set(key, entry);
}

function recordRefusal(ctx, error) {
  state.refusals.push({
    client_id: clientIdOf(ctx),
    status: error.statusCode,
    error: error.error,
    description: error.error_description,
    detail: error.error_detail,
  });
  state.refusals.splice(0, state.refusals.length - KEPT_REFUSALS);
}

function takeFault() {
  const { faults } = state;
  if (!faults || faults.count <= 0) return null;
  faults.count -= 1;
  return faults;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return parseForm(Buffer.concat(chunks).toString('utf8'));
}

async function answerWithFault(ctx, fault) {
  const form = await readForm(ctx.req);
  record(form.client_id || basicAuthClientId(ctx.headers.authorization), false);
  ctx.status = fault.status;
  if (fault.retry_after !== null) ctx.set('Retry-After', String(fault.retry_after));
  ctx.body = {
    error: fault.error,
    error_description: `injected fault (status ${fault.status}, ${fault.count} more to come)`,
  };
}

async function tokenAccounting(ctx, next) {
  if (ctx.method !== 'POST' || ctx.path !== ROUTES.token) {
    await next();
    return;
  }
  const fault = takeFault();
  if (fault) {
    await answerWithFault(ctx, fault);
    return;
  }
  await next();
  record(clientIdOf(ctx), ctx.status === 200);
}

// ---------------------------------------------------------------------------------------------
// admin API for tests, outside the OIDC paths

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function countsAsJson() {
  return Object.fromEntries(state.counts);
}

function positiveInteger(value, name) {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function setFaults(body) {
  if (!body.count) {
    state.faults = null;
    return;
  }
  state.faults = {
    status: positiveInteger(body.status ?? 503, 'status'),
    count: positiveInteger(body.count, 'count'),
    retry_after: body.retry_after ?? null,
    error: body.error || (body.status === 429 ? 'slow_down' : 'temporarily_unavailable'),
  };
}

function setTokenShape(body) {
  const unknown = Object.keys(body).filter((name) => !TOKEN_SHAPE_FIELDS.includes(name));
  if (unknown.length) {
    throw new RangeError(`unknown token shape fields ${unknown}; known: ${TOKEN_SHAPE_FIELDS}`);
  }
  if (body.clock_offset_s != null && !Number.isInteger(body.clock_offset_s)) {
    throw new RangeError('clock_offset_s must be an integer number of seconds');
  }
  state.shape = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

function resetAll() {
  state.shape = {};
  state.counts.clear();
  state.refusals.length = 0;
  state.faults = null;
  state.ttl = config.token_ttl;
}

const ADMIN_ACTIONS = {
  'GET counts': () => countsAsJson(),
  'POST counts/reset': () => { state.counts.clear(); state.refusals.length = 0; },
  'GET refusals': () => state.refusals,
  'POST ttl': (body) => { state.ttl = positiveInteger(body.seconds, 'seconds'); },
  'POST faults': (body) => setFaults(body),
  'POST reset': () => resetAll(),
  'POST token-shape': (body) => setTokenShape(body),
  'GET state': () => ({
    ttl: state.ttl, faults: state.faults, counts: countsAsJson(), refusals: state.refusals, shape: state.shape,
  }),
};

async function admin(req, res, path) {
  const action = ADMIN_ACTIONS[`${req.method} ${path.slice(ADMIN_PREFIX.length)}`];
  if (!action) {
    sendJson(res, 404, { error: 'not_found', error_description: `no admin action ${req.method} ${path}` });
    return;
  }
  try {
    const result = action(req.method === 'POST' ? await readJson(req) : {});
    sendJson(res, 200, result ?? countsAsJson());
  } catch (error) {
    sendJson(res, 400, { error: 'invalid_request', error_description: error.message });
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP dispatch: the realm is the provider's mount path; the SaaS endpoint is the same token
// endpoint, flagged, so that its tokens share the issuer and keys the emulator already trusts.

function mount(req, pathWithQuery) {
  req.originalUrl = config.realm_path + pathWithQuery;
  req.url = pathWithQuery;
}

function dispatcher(handleOidc) {
  return (req, res) => {
    if (state.shape.clock_offset_s) {
      // node keeps a Date header that is already set: the skewed clock shows in every answer
      res.setHeader('Date', new Date(idpNow() * 1000).toUTCString());
    }
    const { pathname, search } = new URL(req.url, 'http://localhost');
    if (pathname.startsWith(ADMIN_PREFIX)) {
      admin(req, res, pathname);
    } else if (pathname === config.saas_token_path) {
      req.saasEndpoint = true;
      mount(req, ROUTES.token + search);
      handleOidc(req, res);
    } else if (pathname === config.realm_path || pathname.startsWith(`${config.realm_path}/`)) {
      mount(req, (pathname.slice(config.realm_path.length) || '/') + search);
      handleOidc(req, res);
    } else {
      sendJson(res, 404, { error: 'not_found', error_description: `nothing at ${pathname}` });
    }
  };
}

// ---------------------------------------------------------------------------------------------
// start: listen first (ports may be 0), then build the provider for the ports we got

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.bind, () => resolve(server.address().port));
  });
}

function tlsOptions() {
  return {
    cert: readFileSync(config.server_cert),
    key: readFileSync(config.server_key),
    ca: readFileSync(config.client_ca),
    requestCert: true,
    rejectUnauthorized: false,
  };
}

async function main() {
  let handle = (req, res) => sendJson(res, 503, { error: 'temporarily_unavailable' });
  const route = (req, res) => handle(req, res);
  const httpsServer = https.createServer(tlsOptions(), route);
  const httpsPort = await listen(httpsServer, config.https_port);
  const httpServer = config.http_port === null ? null : http.createServer(route);
  const httpPort = httpServer ? await listen(httpServer, config.http_port) : null;

  const origin = `https://${config.public_host}:${httpsPort}`;
  const provider = createProvider(origin + config.realm_path);
  provider.use(tokenAccounting);
  provider.on('grant.error', recordRefusal);
  handle = dispatcher(provider.callback());

  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (config.exit_on_stdin_close) {
    // our parent holds the other end: when it dies, however it dies, we go too
    process.stdin.on('end', stop).on('error', stop).resume();
  }
  process.stdout.write(`${JSON.stringify({
    ready: true, pid: process.pid, https_port: httpsPort, http_port: httpPort, issuer: provider.issuer,
  })}\n`);
}

main().catch((error) => {
  process.stderr.write(`idp: ${error.stack || error}\n`);
  process.exit(1);
});
