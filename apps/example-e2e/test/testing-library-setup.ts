import { configure } from '@testing-library/react';

// The suites wait for rows to arrive through a real API, Postgres and shape stream: on a loaded
// two-core CI machine that can take longer than testing-library's 1 s default. A condition met
// sooner still passes at once; only a failure waits this long.
configure({ asyncUtilTimeout: 15_000 });
