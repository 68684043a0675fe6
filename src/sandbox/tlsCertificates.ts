// A throwaway certificate authority and server certificate, made fresh at every start and never
// written to disk except as the CA inside the kubeconfig.
//
// Why ECDSA P-256 and hand-assembled certificates: RSA-2048 key generation measured 0.1-0.8 s
// per key on this (often loaded) 2-core machine, twice per start; P-256 keys take under a
// millisecond. node-forge cannot put EC keys in certificates, so the X.509 structure is built
// with node-forge's ASN.1/DER encoder and signed with Node's native ECDSA. kubectl (Go) and
// @kubernetes/client-node (Node TLS) both accept P-256 certificates.

import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface SandboxCertificates {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const { asn1 } = forge;
const universal = asn1.Class.UNIVERSAL;
const contextSpecific = asn1.Class.CONTEXT_SPECIFIC;

const oids = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

type Asn1 = forge.asn1.Asn1;

const sequence = (...items: Asn1[]): Asn1 => asn1.create(universal, asn1.Type.SEQUENCE, true, items);
const oid = (value: string): Asn1 => asn1.create(universal, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const bytes = (type: number, value: Buffer): Asn1 => asn1.create(universal, type, false, value.toString('binary'));
const octets = (value: Buffer): Asn1 => bytes(asn1.Type.OCTETSTRING, value);
const bits = (value: Buffer, unusedBits = 0): Asn1 => bytes(asn1.Type.BITSTRING, Buffer.concat([Buffer.from([unusedBits]), value]));
const boolean = (value: boolean): Asn1 => bytes(asn1.Type.BOOLEAN, Buffer.from([value ? 0xff : 0]));
const der = (value: Asn1): Buffer => Buffer.from(asn1.toDer(value).getBytes(), 'binary');

function name(commonName: string): Asn1 {
  const attribute = sequence(oid(oids.commonName), asn1.create(universal, asn1.Type.UTF8, false, forge.util.encodeUtf8(commonName)));
  return sequence(asn1.create(universal, asn1.Type.SET, true, [attribute]));
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octets(der(value)));
}

// A positive serial: the top bit clear (DER INTEGER sign) and a non-zero first byte (minimal encoding).
function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial;
}

function keyIdentifier(publicKeyDer: Buffer): Buffer {
  return createHash('sha1').update(publicKeyDer).digest();
}

interface CertificateSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer;
  isCa: boolean;
}

function certificatePem(spec: CertificateSpec): string {
  const publicKeyDer = spec.publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  // Backdated an hour so a clock that is slightly off does not reject a fresh certificate.
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + 365 * 24 * 60 * 60 * 1000);
  const extensions = spec.isCa
    ? [
        extension(oids.basicConstraints, true, sequence(boolean(true))),
        // digitalSignature | keyCertSign | cRLSign
        extension(oids.keyUsage, true, bits(Buffer.from([0x86]), 1)),
        extension(oids.subjectKeyIdentifier, false, octets(keyIdentifier(publicKeyDer))),
      ]
    : [
        extension(oids.basicConstraints, true, sequence()),
        // digitalSignature
        extension(oids.keyUsage, true, bits(Buffer.from([0x80]), 7)),
        extension(oids.extKeyUsage, false, sequence(oid(oids.serverAuth))),
        extension(
          oids.subjectAltName,
          false,
          sequence(
            asn1.create(contextSpecific, 7, false, Buffer.from([127, 0, 0, 1]).toString('binary')),
            asn1.create(contextSpecific, 2, false, 'localhost'),
          ),
        ),
        extension(oids.authorityKeyIdentifier, false, sequence(asn1.create(contextSpecific, 0, false, spec.issuerKeyId.toString('binary')))),
      ];
  const algorithm = sequence(oid(oids.ecdsaWithSha256));
  const tbs = sequence(
    asn1.create(contextSpecific, 0, true, [bytes(asn1.Type.INTEGER, Buffer.from([2]))]),
    bytes(asn1.Type.INTEGER, serialNumber()),
    algorithm,
    name(spec.issuer),
    sequence(asn1.create(universal, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(notBefore)), asn1.create(universal, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(notAfter))),
    name(spec.subject),
    asn1.fromDer(publicKeyDer.toString('binary')),
    asn1.create(contextSpecific, 3, true, [sequence(...extensions)]),
  );
  const signature = sign('sha256', der(tbs), spec.signingKey);
  const certificate = der(sequence(tbs, algorithm, bits(signature)));
  return forge.pem.encode({ type: 'CERTIFICATE', body: certificate.toString('binary') });
}

export function createSandboxCertificates(commonName = 'gitops-sandbox'): SandboxCertificates {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = `${commonName}-ca`;
  const caKeyId = keyIdentifier(ca.publicKey.export({ type: 'spki', format: 'der' }));
  const caCertPem = certificatePem({ subject: caName, issuer: caName, publicKey: ca.publicKey, signingKey: ca.privateKey, issuerKeyId: caKeyId, isCa: true });
  const serverCertPem = certificatePem({ subject: commonName, issuer: caName, publicKey: server.publicKey, signingKey: ca.privateKey, issuerKeyId: caKeyId, isCa: false });
  return {
    caCertPem,
    serverCertPem,
    serverKeyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
