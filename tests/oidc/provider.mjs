// An OpenID Connect provider for the tests (npm `oidc-provider`, pinned in package.json), on a
// free loopback port. Started and stopped by tests/oidc/provider.py; prints "READY <issuer>" once
// it listens. One confidential client (client_secret_basic, PKCE required); sign in at its dev
// login page with one of the logins in ACCOUNTS (any password).
//
//   node tests/oidc/provider.mjs <client_id> <client_secret> <redirect_uri> [<redirect_uri> ...]
import http from 'node:http';
import Provider from 'oidc-provider';

const [clientId, clientSecret, ...redirectUris] = process.argv.slice(2);

// login -> claims. Emails differ in case from the roster on purpose: matching ignores case.
const ACCOUNTS = {
  amira: { email: 'Amira@Academy.Example', email_verified: true, given_name: 'Amira', family_name: 'Haddad' },
  felix: { email: 'felix@academy.example', email_verified: true, given_name: 'Felix', family_name: 'Wagner' },
  stranger: { email: 'stranger@elsewhere.example', email_verified: true, given_name: 'Sam', family_name: 'Stranger' },
  unverified: { email: 'amira@academy.example', email_verified: false, given_name: 'Amira', family_name: 'Haddad' },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account }; } };
    },
    // A company's own provider asks no consent for its first-party apps.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
