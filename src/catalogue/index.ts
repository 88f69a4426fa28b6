/** The catalogue of unusual and malformed ClientHellos (see docs/catalogue.md). */
export * from './cases.ts';
