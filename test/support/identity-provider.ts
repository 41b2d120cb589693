import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/**
 * A local identity provider for production-mode gateways: a fresh key pair, its key set served on
 * a loopback port (AUTH_JWKS_URL), and tokens signed with it. Production refuses the development
 * key, so every production test needs one.
 */
export interface IdentityProvider {
  /** The settings a gateway needs to trust this provider. */
  env: { AUTH_JWKS_URL: string; AUTH_ISSUER: string; AUTH_AUDIENCE: string };
  /** A token with these claims (`sub` among them), valid for ten minutes. */
  token(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface IdentityProviderOptions {
  alg?: 'ES256' | 'RS256';
  kid?: string;
  issuer?: string;
  audience?: string;
}

export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const { alg = 'ES256', kid = 'test-key', issuer = 'https://id.danang.example/realms/city', audience = 'city-data-gateway' } = options;
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    env: { AUTH_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience },
    token(claims) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims as JWTPayload)
        .setProtectedHeader({ alg, kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
