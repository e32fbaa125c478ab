// An Entra ID stand-in on loopback for the sign-in test: oauth2-mock-server (a real OpenID Connect provider issuing
// RS256-signed tokens) served over HTTPS under Entra's path layout, https://<host>/<tenant>/v2.0/..., with the claims
// Entra ID puts in its tokens (tid, oid, preferred_username, groups, aud = the application's client id).
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { OAuth2Issuer, OAuth2Server } from "oauth2-mock-server";

/**
 * Starts the provider. The user signing in through the browser is `user` (change it with setUser); every token
 * request is recorded (tokenRequests) so the test can see how oauth2-proxy authenticated itself.
 */
export async function startIdp({ address, host, tenantId, clientId, certFile, keyFile, user }) {
  const oidc = new OAuth2Server();
  await oidc.issuer.keys.generate("RS256");
  const prefix = `/${tenantId}/v2.0`;
  oidc.issuer.url = `https://${host}${prefix}`;
  const state = { user, tokenRequests: [] };
  oidc.service.on("beforeTokenSigning", (token, req) => {
    Object.assign(token.payload, entraClaims(state.user, tenantId, clientId));
    state.tokenRequests.push({ ...req.body });
  });
  oidc.service.on("beforeUserinfo", (userinfo) => {
    userinfo.body = { sub: state.user.oid, preferred_username: state.user.upn, name: state.user.name };
  });
  const handler = oidc.service.requestHandler;
  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
    if (!req.url.startsWith(`${prefix}/`)) {
      res.writeHead(404).end();
      return;
    }
    req.url = req.url.slice(prefix.length);
    handler(req, res);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(443, address, resolve));
  return {
    issuer: oidc.issuer.url,
    tokenRequests: state.tokenRequests,
    setUser(next) {
      state.user = next;
    },
    /** An access token as `az account get-access-token` would hand it to a notebook; overrides change any claim. */
    accessToken(tokenUser, { expiresIn = 3600, ...overrides } = {}) {
      return oidc.issuer.buildToken({
        expiresIn,
        scopesOrTransform: (_header, payload) => Object.assign(payload, entraClaims(tokenUser, tenantId, clientId), { scp: "user_impersonation" }, overrides),
      });
    },
    /** A token signed by a key this provider never published (a forger's). */
    async forgedToken(tokenUser) {
      const forger = new OAuth2Issuer();
      await forger.keys.generate("RS256");
      forger.url = oidc.issuer.url;
      return forger.buildToken({
        scopesOrTransform: (_header, payload) => Object.assign(payload, entraClaims(tokenUser, tenantId, clientId)),
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function entraClaims(user, tenantId, clientId) {
  return {
    aud: clientId,
    tid: tenantId,
    oid: user.oid,
    sub: user.oid,
    name: user.name,
    preferred_username: user.upn,
    groups: user.groups,
    ver: "2.0",
  };
}
