import { render } from "lit-html"
import { loginView, type LoginModel } from "./login-view.js"
import { loginWithPassword, loginWithToken, type Session } from "./session.js"

/**
 * The sign-in screen of a console page: a password or an API token; on success `signedIn` takes over the page.
 * `show(error)` brings it back (after a sign-out, with the reason to show, or null).
 */
export const signInScreen = (options: {
  readonly root: HTMLElement
  readonly title: string
  readonly signedIn: (session: Session) => void
  /** Runs on the user's gesture, before signing in (e.g. to allow sound). */
  readonly beforeAttempt?: () => void
}) => {
  let login: LoginModel = { mode: "password", busy: false, error: null, title: options.title }

  const draw = () =>
    render(
      loginView(login, {
        setMode: (mode) => {
          login = { ...login, mode, error: null }
          draw()
        },
        password: (tenant, username, password) => attempt(() => loginWithPassword(tenant, username, password)),
        token: (token) => attempt(() => loginWithToken(token)),
      }),
      options.root,
    )

  const attempt = (signIn: () => Promise<Session>) => {
    options.beforeAttempt?.()
    login = { ...login, busy: true, error: null }
    draw()
    signIn().then(
      (session) => {
        login = { ...login, busy: false }
        options.signedIn(session)
      },
      (error: unknown) => {
        login = { ...login, busy: false, error: error instanceof Error ? error.message : String(error) }
        draw()
      },
    )
  }

  return {
    show: (error: string | null = null) => {
      login = { ...login, busy: false, error }
      draw()
    },
  }
}
