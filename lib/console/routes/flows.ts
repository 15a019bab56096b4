/**
 * Flow pages: list, create, and the detail page with enable/disable, queue
 * depth, jobs with their pages' status, delivery errors (retry one, retry all,
 * resolve) and the test run on the listener's mock output.
 */
import type { Request, Response, Router } from 'express';
import { isAppError } from '../../errors';
import { addDeletePages } from '../delete-pages';
import { formErrors, text, type ConsoleKit, type FormErrors } from '../kit';

const FIELDS = ['name', 'listenerId', 'imports', 'enabled', 'maxQueuedJobs', 'delivery.concurrency', 'delivery.orderingKey'];

async function optionalName(kit: ConsoleKit, req: Request, path: string, id: string): Promise<string | null> {
  try {
    return (await kit.api(req, 'get', path, { params: { id } })).name;
  } catch (error) {
    if (isAppError(error) && error.status === 404) return null;
    throw error;
  }
}

async function queueDepth(kit: ConsoleKit, req: Request, flow: { id: string; listenerId: string }): Promise<number | null> {
  try {
    const status = await kit.api(req, 'get', '/listeners/:id/status', { params: { id: flow.listenerId } });
    return status.flows.find((entry: { id: string }) => entry.id === flow.id)?.queueDepth ?? null;
  } catch (error) {
    if (isAppError(error) && error.status === 404) return null;
    throw error;
  }
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export function addFlowPages(router: Router, kit: ConsoleKit): void {
  const byId = (req: Request) => ({ params: { id: String(req.params.id) } });

  router.get('/flows', async (req, res) => {
    const listPage = await kit.api(req, 'get', '/flows', { query: { limit: '100' } });
    const items = await Promise.all(
      listPage.items.map(async (flow: { id: string; listenerId: string; imports: string[] }) => ({
        ...flow,
        listenerName: await optionalName(kit, req, '/listeners/:id', flow.listenerId),
        importCount: flow.imports.length,
        queueDepth: await queueDepth(kit, req, flow),
      })),
    );
    kit.render(req, res, 'flows', { title: 'Flows', items, nextCursor: listPage.nextCursor, canCreate: kit.can(req, 'post', '/flows') });
  });

  async function renderForm(req: Request, res: Response, values: Record<string, unknown>, errors: FormErrors = {}, status = 200) {
    const [listeners, imports] = await Promise.all([
      kit.api(req, 'get', '/listeners', { query: { limit: '500' } }),
      kit.api(req, 'get', '/imports', { query: { limit: '500' } }),
    ]);
    const chosen = asList(values.imports);
    kit.render(req, res, 'flow-form', {
      title: 'New flow', values, errors,
      listeners: listeners.items.map((l: { id: string; name: string }) => ({ ...l, selected: l.id === values.listenerId })),
      imports: imports.items.map((i: { id: string; name: string; url: string }) => ({ ...i, checked: chosen.includes(i.id) })),
    }, status);
  }

  router.get('/flows/new', async (req, res) => {
    kit.require(req, 'post', '/flows');
    await renderForm(req, res, { enabled: 'true', maxQueuedJobs: '10000', 'delivery.concurrency': '1' });
  });

  router.post('/flows/new', async (req, res) => {
    kit.require(req, 'post', '/flows');
    const form = req.body as Record<string, unknown>;
    const body: Record<string, unknown> = {
      name: text(form, 'name'), listenerId: text(form, 'listenerId'), imports: asList(form.imports), enabled: form.enabled === 'true',
    };
    if (text(form, 'maxQueuedJobs') !== '') body.maxQueuedJobs = Number(text(form, 'maxQueuedJobs'));
    const concurrency = text(form, 'delivery.concurrency');
    const orderingKey = text(form, 'delivery.orderingKey');
    if (concurrency !== '' || orderingKey !== '') {
      body.delivery = { ...(concurrency !== '' ? { concurrency: Number(concurrency) } : {}), orderingKey: orderingKey === '' ? null : orderingKey };
    }
    try {
      const flow = await kit.api(req, 'post', '/flows', { body });
      kit.flash(req, 'ok', 'Flow created.');
      kit.redirect(res, `/flows/${flow.id}`);
    } catch (error) {
      const errors = formErrors(error, FIELDS);
      if (!errors) throw error;
      await renderForm(req, res, form, errors, 400);
    }
  });

  async function renderDetail(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const flow = await kit.api(req, 'get', '/flows/:id', byId(req));
    const [listenerName, depth, jobs, errors, importNames] = await Promise.all([
      optionalName(kit, req, '/listeners/:id', flow.listenerId),
      queueDepth(kit, req, flow),
      kit.api(req, 'get', '/flows/:id/jobs', { ...byId(req), query: { limit: '20' } }),
      kit.api(req, 'get', '/flows/:id/errors', { ...byId(req), query: { limit: '100', status: 'open' } }),
      Promise.all(flow.imports.map((id: string) => optionalName(kit, req, '/imports/:id', id))),
    ]);
    kit.render(req, res, 'flow', {
      title: flow.name, flow, listenerName, queueDepth: depth, jobs: jobs.items, errors: errors.items,
      imports: flow.imports.map((id: string, index: number) => ({ id, name: importNames[index] ?? id })),
      can: {
        toggle: kit.can(req, 'patch', '/flows/:id'),
        retry: kit.can(req, 'post', '/flows/:id/errors/retry'),
        test: kit.can(req, 'post', '/flows/:id/test'),
        delete: kit.can(req, 'delete', '/flows/:id'),
        replay: kit.can(req, 'post', '/flows/:id/replay'),
      },
      ...extra,
    });
  }

  router.get('/flows/:id', (req, res) => renderDetail(req, res));

  router.post('/flows/:id/enabled', async (req, res) => {
    const enabled = text(req.body, 'enabled') === 'true';
    await kit.api(req, 'patch', '/flows/:id', { ...byId(req), body: { enabled } });
    kit.flash(req, 'ok', enabled ? 'Flow enabled: queued jobs are delivered now.' : 'Flow disabled: jobs queue until it is enabled.');
    kit.redirect(res, `/flows/${req.params.id}`);
  });

  router.post('/flows/:id/errors/retry', async (req, res) => {
    const report = await kit.api(req, 'post', '/flows/:id/errors/retry', { ...byId(req), body: {} });
    kit.flash(req, 'ok', `Resubmitted ${report.retried.length} error(s)${report.skipped.length ? `; skipped ${report.skipped.length}` : ''}.`);
    kit.redirect(res, `/flows/${req.params.id}#errors`);
  });

  for (const action of ['retry', 'resolve'] as const) {
    router.post(`/flows/:id/errors/:errorId/${action}`, async (req, res) => {
      await kit.api(req, 'post', `/flows/:id/errors/:errorId/${action}`, { params: { id: String(req.params.id), errorId: String(req.params.errorId) } });
      kit.flash(req, 'ok', action === 'retry' ? 'Error resubmitted: the flow sends it before its next page.' : 'Error resolved.');
      kit.redirect(res, `/flows/${req.params.id}#errors`);
    });
  }

  // Deliver one kept job again, queued behind what the flow has waiting.
  router.post('/flows/:id/replay', async (req, res) => {
    const report = await kit.api(req, 'post', '/flows/:id/replay', { ...byId(req), body: { jobId: text(req.body, 'jobId') } });
    const seqs = report.replayed.map((job: { seq: number }) => `#${job.seq}`).join(', ');
    kit.flash(req, 'ok', report.replayed.length ? `Replaying job ${seqs}.` : 'Nothing to replay.');
    kit.redirect(res, `/flows/${req.params.id}#jobs`);
  });

  router.post('/flows/:id/test', async (req, res) => {
    try {
      const result = await kit.api(req, 'post', '/flows/:id/test', byId(req));
      await renderDetail(req, res, { testResult: result });
    } catch (error) {
      if (!isAppError(error) || error.status !== 422) throw error;
      await renderDetail(req, res, { testError: error.detail ?? error.title });
    }
  });

  addDeletePages(router, kit, { plural: 'flows', noun: 'flow', consequence: 'Jobs still queued for it will not be delivered.' });
}
