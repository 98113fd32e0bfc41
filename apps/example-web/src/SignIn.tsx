import { useState, type FormEvent } from 'react';
import { BrandMark } from './icons';
import { signIn, type Session } from './session';

/** The sign-in form, shown until there is a session. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(String(form.get('email')), String(form.get('password'))));
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <form className="panel sign-in-form" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <div className="brand">
          <BrandMark />
          <div>
            <h1 id="sign-in-title">Team Todos</h1>
            <p>Sign in to see your projects</p>
          </div>
        </div>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
