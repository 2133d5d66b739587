/** @dime/core/dnssec — filled in by the DNSSEC work (canonical form, validator, signer, anchors). */
export {};
