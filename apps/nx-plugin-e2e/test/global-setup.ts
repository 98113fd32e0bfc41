import { packPackages, PACKED_ENV } from './workspace';

/** Both packages packed once per run, with the README's `npm run pack`, for every test file. */
export default function globalSetup(): void {
  process.env[PACKED_ENV] = JSON.stringify(packPackages());
}
