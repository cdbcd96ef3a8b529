export {
  createCA,
  createCert,
  subjectDer,
  CertError,
  type Pem,
  type CAOptions,
  type CertOptions,
  type KeyType,
} from './pki.ts';
export { writeCertDir } from './cert-dir.ts';
