// Cross-implementation oracle built on `jose` (an independent JOSE library).
//
//   node oracle.mjs sign OUT.json          # tokens for every alg, with their JWKS
//   node oracle.mjs verify JWKS ALG TOKEN   # exit 0 only if TOKEN verifies
import { writeFileSync, readFileSync } from 'node:fs';
import * as jose from 'jose';

const ALGS = ['RS256', 'RS384', 'PS256', 'PS384', 'ES256', 'ES384', 'EdDSA', 'HS256'];
const SECRET = 'hybrid-client-secret-not-secret-0123456789abcdef';

async function sign(out) {
  const cases = [];
  const now = Math.floor(Date.now() / 1000);
  for (const alg of ALGS) {
    const claims = { iss: 'https://op.example', sub: 'alice', aud: 'client', iat: now, exp: now + 600, nonce: `n-${alg}` };
    if (alg.startsWith('HS')) {
      const token = await new jose.SignJWT(claims)
        .setProtectedHeader({ alg, typ: 'JWT' })
        .sign(new TextEncoder().encode(SECRET));
      cases.push({ alg, token, secret: SECRET });
      continue;
    }
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
    const jwk = await jose.exportJWK(publicKey);
    jwk.kid = await jose.calculateJwkThumbprint(jwk);
    jwk.alg = alg;
    jwk.use = 'sig';
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT', kid: jwk.kid })
      .sign(privateKey);
    cases.push({ alg, token, jwks: { keys: [jwk] } });
  }
  writeFileSync(out, JSON.stringify(cases, null, 2));
  console.log(`jose signed ${cases.length} tokens: ${ALGS.join(' ')}`);
}

async function verify(jwksPath, alg, token) {
  const jwks = JSON.parse(readFileSync(jwksPath, 'utf8'));
  const keyset = jose.createLocalJWKSet(jwks);
  const { payload, protectedHeader } = await jose.compactVerify(token, keyset, { algorithms: [alg] });
  console.log(`jose verified ${protectedHeader.alg} kid=${protectedHeader.kid}: ${new TextDecoder().decode(payload)}`);
}

const [cmd, ...args] = process.argv.slice(2);
try {
  if (cmd === 'sign') await sign(args[0]);
  else if (cmd === 'verify') await verify(args[0], args[1], args[2]);
  else throw new Error('usage: oracle.mjs sign OUT | verify JWKS ALG TOKEN');
} catch (e) {
  console.error(`jose: ${e.code || ''} ${e.message}`);
  process.exit(1);
}
