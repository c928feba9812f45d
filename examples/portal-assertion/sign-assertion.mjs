// A host portal signs who its signed-in resident is, for consult-kit (docs/server.md#identity).
// Run: node sign-assertion.mjs <portal-private-key.pem> <resident-id> [community-id…]
// (PORTAL_ISSUER, CONSULT_AUDIENCE and PORTAL_KID set the iss, aud and kid.) Uses jose.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { importPKCS8, SignJWT } from 'jose';

/** A short-lived RS256 assertion: sub = the portal's resident id, exp 5 minutes after iat. */
export async function signAssertion({ privateKeyPem, sub, name, communities, issuer, audience = 'consult-kit', kid }) {
  const key = await importPKCS8(privateKeyPem, 'RS256');
  return new SignJWT({ ...(name ? { name } : {}), ...(communities?.length ? { communities } : {}) })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuer(issuer).setAudience(audience).setSubject(sub)
    .setIssuedAt().setExpirationTime('5m').setJti(randomUUID())
    .sign(key);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [keyFile, sub, ...communities] = process.argv.slice(2);
  const { PORTAL_ISSUER = 'https://portal.example.gov.cn', CONSULT_AUDIENCE, PORTAL_KID } = process.env;
  const privateKeyPem = readFileSync(keyFile, 'utf8');
  console.log(await signAssertion({ privateKeyPem, sub, communities, issuer: PORTAL_ISSUER, audience: CONSULT_AUDIENCE || undefined, kid: PORTAL_KID }));
}
