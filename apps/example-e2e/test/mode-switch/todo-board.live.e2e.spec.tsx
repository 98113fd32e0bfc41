// TodoBoard's tests with Todo generated in live mode: the aliases the component and its tests
// import resolve to the example's libraries generated with Todo as live (see mode-variants.ts).
jest.mock('@sync-patterns/example-api-core', () => jest.requireActual('../../.variants/live/core/src'));
jest.mock('@sync-patterns/example-api-project', () => jest.requireActual('../../.variants/live/project/src'));
jest.mock('@sync-patterns/example-api-todo', () => jest.requireActual('../../.variants/live/todo/src'));
jest.mock('@sync-patterns/example-api-user', () => jest.requireActual('../../.variants/live/user/src'));

import { describeTodoBoard } from './todo-board.behaviour';

describeTodoBoard('live');
