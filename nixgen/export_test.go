package nixgen

// FastDecodeStop exposes fastDecodeStop to the external tests.
var FastDecodeStop = fastDecodeStop
