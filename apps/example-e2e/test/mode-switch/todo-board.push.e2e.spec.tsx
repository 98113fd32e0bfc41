// TodoBoard's tests with Todo generated in push mode: the aliases the component and its tests
// import resolve to the example's libraries generated with Todo as push (see mode-variants.ts).
jest.mock('@sync-patterns/example-api-core', () => jest.requireActual('../../.variants/push/core/src'));
jest.mock('@sync-patterns/example-api-project', () => jest.requireActual('../../.variants/push/project/src'));
jest.mock('@sync-patterns/example-api-todo', () => jest.requireActual('../../.variants/push/todo/src'));
jest.mock('@sync-patterns/example-api-user', () => jest.requireActual('../../.variants/push/user/src'));

import { describeTodoBoard } from './todo-board.behaviour';

describeTodoBoard('push');
