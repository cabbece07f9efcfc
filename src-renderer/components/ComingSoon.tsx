import { ScreenHeader } from './ScreenHeader';

/** A screen whose flow is not built yet; says so plainly instead of pretending. */
export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <main className="screen">
      <ScreenHeader title={title} />
      <p className="muted" data-testid="coming-soon">
        Coming soon: {what}
      </p>
    </main>
  );
}
