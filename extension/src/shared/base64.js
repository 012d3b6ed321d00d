/** Base64 ↔ bytes without Node's Buffer (not in extension contexts). */

// Chunked so String.fromCharCode never gets more arguments than the engine allows.
const CHUNK = 0x8000;

export function bytesToBase64(bytes) {
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
