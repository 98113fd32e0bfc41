import { rmSync } from 'node:fs';
import { PACKED_ENV, type Packed } from './workspace';

export default function globalTeardown(): void {
  const shared = process.env[PACKED_ENV];
  if (shared) rmSync((JSON.parse(shared) as Packed).dir, { recursive: true, force: true });
}
