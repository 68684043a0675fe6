// A throwaway certificate authority and server certificate, made fresh at every start and never
// written to disk except as the CA inside the kubeconfig. Keys come from Node's native RSA
// generator (~0.1 s for 2048 bits, where node-forge's pure-JS one takes seconds); node-forge
// builds and signs the X.509 certificates, which Node's crypto cannot do.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SandboxCertificates {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

function forgeKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKeyPem),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKeyPem,
  };
}

// Positive serial numbers: the high bit of the first byte must be clear for a DER INTEGER.
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function validity(certificate: forge.pki.Certificate): void {
  const now = Date.now();
  // Backdated an hour so a clock that is slightly off does not reject a fresh certificate.
  certificate.validity.notBefore = new Date(now - 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(now + 365 * 24 * 60 * 60 * 1000);
}

export function createSandboxCertificates(commonName = 'gitops-sandbox'): SandboxCertificates {
  const ca = forgeKeyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serialNumber();
  validity(caCert);
  const caSubject = [{ name: 'commonName', value: `${commonName}-ca` }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = forgeKeyPair();
  const serverCert = forge.pki.createCertificate();
  serverCert.publicKey = server.publicKey;
  serverCert.serialNumber = serialNumber();
  validity(serverCert);
  serverCert.setSubject([{ name: 'commonName', value: commonName }]);
  serverCert.setIssuer(caSubject);
  serverCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  serverCert.sign(ca.privateKey, forge.md.sha256.create());

  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(serverCert),
    serverKeyPem: server.privateKeyPem,
  };
}
