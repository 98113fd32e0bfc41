/** The generated API functions a test seeds with (from the library variant it exercises). */
export interface SeedApi<P> {
  createUser(input: { email: string; name: string; role: 'admin' | 'member' }): Promise<{ id: string }>;
  createProject(input: { name: string; owner_id: string; description: null; archived: false }): Promise<P>;
}

/** A project and its owner, made through the generated API functions of the variant under test. */
export async function seedProject<P>(
  api: SeedApi<P>,
  name: string,
  email: string,
  role: 'admin' | 'member' = 'admin',
): Promise<P> {
  const owner = await api.createUser({ email, name, role });
  return api.createProject({ name, owner_id: owner.id, description: null, archived: false });
}
