// An independent verifier for our credentials: Digital Bazaar's @digitalbazaar/vc with the
// eddsa-rdfc-2022 cryptosuite, and a static document loader that never touches the network.
//
// Usage: node tests/credentials/verify.mjs INPUT.json
// INPUT: {"credential": {...}, "documents": {"url": document, ...}, "now": "ISO date"?}
// `documents` holds what a verifier would resolve over HTTPS (our DID document, our status lists).
// JSON-LD contexts come from the repository's bundle (assessments/credentials/contexts/).
// Prints {"verified": bool, "statusVerified": bool|null, "errors": [...]} and exits 0 when verified.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {fileURLToPath} from 'node:url';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextsDir = path.join(here, '..', '..', 'assessments', 'credentials', 'contexts');
const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-context-3.0.3.json',
};
const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const documents = input.documents || {};

async function documentLoader(url) {
  if(CONTEXTS[url]) {
    const document = JSON.parse(fs.readFileSync(path.join(contextsDir, CONTEXTS[url]), 'utf8'));
    return {contextUrl: null, documentUrl: url, document};
  }
  const [base, fragment] = url.split('#');
  const document = documents[base];
  if(!document) {
    throw new Error(`Static loader: unknown URL ${url}`);
  }
  if(fragment === undefined || base.startsWith('http')) {
    return {contextUrl: null, documentUrl: url, document};
  }
  // A DID URL with a fragment: the verification method from the DID document.
  const method = document.verificationMethod.find(m => m.id === url);
  if(!method) {
    throw new Error(`Static loader: no verification method ${url}`);
  }
  return {
    contextUrl: null, documentUrl: url,
    document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}
  };
}

const suite = new DataIntegrityProof({cryptosuite});
const now = input.now ? new Date(input.now) : new Date();

async function checkStatus({credential}) {
  const entry = credential.credentialStatus;
  const {document: list} = await documentLoader(entry.statusListCredential);
  const listResult = await vc.verifyCredential({credential: list, suite, documentLoader, now});
  if(!listResult.verified) {
    return {verified: false, error: new Error('status list credential does not verify')};
  }
  const encoded = list.credentialSubject.encodedList;
  const bits = zlib.gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = parseInt(entry.statusListIndex, 10);
  const set = (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0;
  return set ? {verified: false, error: new Error('revoked')} : {verified: true};
}

const result = await vc.verifyCredential({credential: input.credential, suite, documentLoader, checkStatus, now});
const errors = [];
const collect = e => e && errors.push(String(e.message || e));
collect(result.error);
(result.results || []).forEach(r => collect(r.error));
if(result.statusResult && !result.statusResult.verified) {
  collect(result.statusResult.error);
}
console.log(JSON.stringify({
  verified: result.verified,
  statusVerified: result.statusResult ? result.statusResult.verified : null,
  errors,
}));
process.exit(result.verified ? 0 : 1);
