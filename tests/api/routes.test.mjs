// Every route against every role: one table, one line per route, of the
// status each caller gets.  The routes are read from the C source (the
// API and Open311 tables in src/api/common.c), and a route without a line
// here fails the test, so that no route ships without its access decided
// and checked.
//
// Callers: anonymous, each demo role, and the same roles of another scope
// (a secretary of another cluster, a grid worker of other grids, a
// handler of another department, the contact of another firm).  The
// record each route is asked about is in the scope of the first of each
// pair: enterprise 1 (Shanghai Qifan Cable, cluster 1, in grid's cell
// ZY-W3) and a case of it handled by the economic park department.
// Signed-in callers use API keys, so that a write needs no CSRF token and
// its answer is the access decision; each write sends a body that is
// valid, so that an allowed write succeeds rather than fails validation.
//
// Reads share one server.  Each write route gets a fresh server (a copy
// of one demo database), and each of its calls that needs a record in a
// given state gets a record made for it (setup), so that no line and no
// call depends on another.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { cli } from '../lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.QUNYAN_BIN || join(root, 'build', 'qunyan');

// ---------------------------------------------------------------------
// The table.  Columns, in order:
const ROLES = ['anon', 'admin', 'officer', 'secretary', 'secretary2', 'grid', 'grid2', 'handler', 'handler2', 'qifan', 'firm2'];
//  anon        no session, no key
//  secretary   cluster 1            secretary2  cluster 2
//  grid        the West cells       grid2       the East cells
//  handler     economic park dept.  handler2    community affairs office
//  qifan       contact of enterprise 1         firm2  contact of enterprise 2
//
// 401 is "sign in first"; 404 for a case the caller may not read (so that
// ids tell nothing); 403 for the rest of what a role may not do.
const TABLE = {
  //                                                   anon adm  off  sec  sec2 grid grd2 hnd  hnd2 ent  ent2
  'GET /api/v1/session':                              '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/session':                             '200  200  200  200  200  200  200  200  200  200  200',
  'DELETE /api/v1/session':                           '401  200  200  200  200  200  200  200  200  200  200',
  'PUT /api/v1/session/password':                     '401  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/jurisdictions':                        '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/jurisdictions':                       '401  201  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/jurisdictions/:id':                    '200  200  200  200  200  200  200  200  200  200  200',
  'PATCH /api/v1/jurisdictions/:id':                  '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/jurisdictions/:id/rollup':             '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/users':                                '401  200  403  403  403  403  403  403  403  403  403',
  'POST /api/v1/users':                               '401  201  403  403  403  403  403  403  403  403  403',
  'PATCH /api/v1/users/:id':                          '401  200  403  403  403  403  403  403  403  403  403',
  'PUT /api/v1/users/:id/role':                       '401  200  403  403  403  403  403  403  403  403  403',
  'PUT /api/v1/users/:id/password':                   '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/users/:id/keys':                       '401  200  403  403  403  403  403  403  403  403  403',
  'POST /api/v1/users/:id/keys':                      '401  201  403  403  403  403  403  403  403  403  403',
  'DELETE /api/v1/users/:id/keys/:key':               '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/enterprises':                          '401  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/enterprises':                         '401  201  201  403  403  403  403  403  403  403  403',
  'POST /api/v1/enterprises/import':                  '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/enterprises/:id':                      '401  200  200  200  200  200  200  200  200  200  403',
  'PATCH /api/v1/enterprises/:id':                    '401  200  200  200  403  403  403  403  403  200  403',
  'POST /api/v1/enterprises/:id/retire':              '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/enterprises/:id/move':                '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/enterprises/:id/moves':                '401  200  200  200  200  200  200  200  200  200  403',
  'GET /api/v1/enterprise-moves':                     '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/clusters':                             '401  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/clusters':                            '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/clusters/:id':                         '401  200  200  200  200  200  200  200  200  200  200',
  'PATCH /api/v1/clusters/:id':                       '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/organisations':                        '401  200  200  200  200  200  200  200  200  403  403',
  'POST /api/v1/organisations':                       '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/organisations/:id':                    '401  200  200  200  200  200  200  200  200  403  403',
  'PATCH /api/v1/organisations/:id':                  '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/organisations/tree':                   '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/coverage':                             '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/coverage/uncovered':                   '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/coverage/geojson':                     '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/alliances':                            '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/alliances/:id':                        '401  200  200  200  200  200  200  200  200  403  403',
  'POST /api/v1/alliances/:id/members':               '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/services':                             '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/services':                            '401  201  201  403  403  403  403  403  403  201  201',
  'GET /api/v1/services/:id':                         '200  200  200  200  200  200  200  200  200  200  200',
  'PATCH /api/v1/services/:id':                       '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/services/:id/retire':                 '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/services/:id/approve':                '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/services/:id/request':                '401  201  201  403  403  403  403  403  403  201  201',
  'GET /hsds/services':                               '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/audit':                                '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/bulletin':                             '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/clusters/:id/chain':                   '401  200  200  200  200  200  200  200  200  403  403',
  'POST /api/v1/clusters/:id/chain/nodes':            '401  201  201  201  403  403  403  403  403  403  403',
  'POST /api/v1/clusters/:id/chain/edges':            '401  201  201  201  403  403  403  403  403  403  403',
  'GET /api/v1/clusters/:id/gaps':                    '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/clusters/:id/localisation':            '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/clusters/:id/loops':                   '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/chain/nodes/:id':                      '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/enterprises/:id/partners':             '401  200  200  200  200  200  200  200  200  200  403',
  'GET /api/v1/enterprises/:id/localisation':         '401  200  200  200  200  200  200  200  200  200  403',
  'GET /api/v1/enterprises/:id/attracted':            '401  200  200  200  200  403  403  403  403  403  403',
  'POST /api/v1/enterprises/:id/partner-contacts':    '401  201  201  201  403  201  403  403  403  403  403',
  'PUT /api/v1/enterprises/:id/products/:node':       '401  200  200  200  403  403  403  403  403  200  403',
  'PUT /api/v1/enterprises/:id/needs/:node':          '401  200  200  200  403  403  403  403  403  200  403',
  'DELETE /api/v1/enterprises/:id/products/:node':    '401  200  200  200  403  403  403  403  403  200  403',
  'DELETE /api/v1/enterprises/:id/needs/:node':       '401  200  200  200  403  403  403  403  403  200  403',
  'POST /api/v1/supply-links':                        '401  201  201  201  403  201  201  403  403  201  201',
  'PUT /api/v1/chain/nodes/:id':                      '401  200  200  200  403  403  403  403  403  403  403',
  'DELETE /api/v1/chain/nodes/:id':                   '401  204  204  204  403  403  403  403  403  403  403',
  'DELETE /api/v1/clusters/:id/chain/edges/:from/:to': '401  204  204  204  403  403  403  403  403  403  403',
  'GET /api/v1/enterprises/:id/chain':                '401  200  200  200  200  200  200  200  200  200  403',
  'GET /api/v1/leads':                                '401  200  200  200  200  403  403  403  403  403  403',
  'POST /api/v1/leads':                               '401  201  201  201  403  403  403  403  403  403  403',
  'GET /api/v1/leads/:id':                            '401  200  200  200  200  403  403  403  403  403  403',
  'POST /api/v1/leads/:id/stage':                     '401  200  200  200  403  403  403  403  403  403  403',
  'GET /api/v1/grids':                                '401  200  200  200  200  200  200  200  200  403  403',
  'POST /api/v1/grids':                               '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/grids/geojson':                        '401  200  200  200  200  200  200  200  200  403  403',
  'POST /api/v1/grids/import':                        '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/grids/unplaced':                       '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/grids/:id':                            '401  200  200  200  200  200  200  200  200  403  403',
  'PUT /api/v1/grids/:id':                            '401  200  200  403  403  403  403  403  403  403  403',
  'PUT /api/v1/grids/:id/members':                    '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/grids/:id/cards.pdf':                  '401  200  200  403  403  200  403  403  403  403  403',
  'POST /api/v1/grids/:id/split':                     '401  201  201  403  403  403  403  403  403  403  403',
  'POST /api/v1/grids/:id/members':                   '401  201  201  403  403  403  403  403  403  403  403',
  'DELETE /api/v1/grids/:id/members/:user':           '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/grids/:id/candidates':                 '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/enterprises/:id/visits':               '401  200  200  200  200  200  200  200  200  200  403',
  'POST /api/v1/visits':                              '401  201  201  403  403  201  403  403  403  403  403',
  'GET /api/v1/enterprises/:id/indicators':           '401  200  200  200  200  200  200  200  200  200  403',
  'PUT /api/v1/enterprises/:id/indicators/:period':   '401  200  200  403  403  200  403  403  403  200  403',
  'GET /api/v1/alerts':                               '401  200  200  200  200  200  200  200  200  403  403',
  'GET /api/v1/cases':                                '401  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/cases':                               '401  201  201  201  403  201  403  403  403  201  403',
  'GET /api/v1/cases/similar':                        '401  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/cases/stats':                          '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/cases/:id':                            '401  200  200  200  404  200  404  200  404  200  404',
  'POST /api/v1/cases/:id/transition':                '401  200  200  403  404  403  404  200  404  403  404',
  'POST /api/v1/cases/:id/assign':                    '401  200  200  403  404  403  404  403  404  403  404',
  'POST /api/v1/cases/:id/reply':                     '401  200  200  403  404  403  404  200  404  403  404',
  'POST /api/v1/cases/:id/merge':                     '401  200  200  403  404  403  404  403  404  403  404',
  'POST /api/v1/cases/:id/rating':                    '401  200  200  403  404  403  404  403  404  200  404',
  'POST /api/v1/cases/:id/reopen':                    '401  200  200  403  404  403  404  403  404  200  404',
  'POST /api/v1/cases/:id/photos':                    '401  201  201  403  404  201  404  201  404  201  404',
  'GET /api/v1/cases/:id/photos/:photo':              '401  200  200  200  404  200  404  200  404  200  404',
  'GET /api/v1/cases/export':                         '401  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/cases/:id/transfer':                  '401  201  201  403  404  403  404  201  404  403  404',
  'POST /api/v1/cases/:id/transfer/accept':           '401  200  200  403  404  403  404  403  404  403  404',
  'POST /api/v1/cases/:id/transfer/return':           '401  200  200  403  404  403  404  403  404  403  404',
  'GET /api/v1/cases/:id/transfers':                  '401  200  200  200  404  200  404  200  404  200  404',
  // Cases by step: the department asks, an officer decides; the callback
  // is an officer's, the check on site a grid worker's.
  'GET /api/v1/cases/rankings':                       '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/cases/:id/requests':                   '401  200  200  200  404  200  404  200  404  200  404',
  'POST /api/v1/cases/:id/requests':                  '401  201  201  403  404  403  404  201  404  403  404',
  'POST /api/v1/cases/:id/requests/:rid/decision':    '401  200  200  403  404  403  404  403  404  403  404',
  'POST /api/v1/cases/:id/resume':                    '401  200  200  403  404  403  404  403  404  403  404',
  'POST /api/v1/cases/:id/callback':                  '401  200  200  403  404  403  404  403  404  403  404',
  'POST /api/v1/cases/:id/site-check':                '401  403  403  403  404  200  404  403  404  403  404',
  'GET /api/v1/case-requests':                        '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/case-categories/:id/limits':           '401  200  200  200  200  200  200  200  200  200  200',
  'PUT /api/v1/case-categories/:id/limits':           '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/work-calendar/:year':                  '401  200  200  200  200  200  200  200  200  200  200',
  'PUT /api/v1/work-calendar/:year':                  '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/transfers':                            '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/departments':                          '401  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/case-categories':                      '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/case-categories':                     '401  201  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/collection-points':                    '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/collection-points':                   '401  201  201  403  403  403  403  403  403  403  403',
  'PUT /api/v1/collection-points/:id':                '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/booklet.pdf':                          '401  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/webhooks':                             '401  200  403  403  403  403  403  403  403  403  403',
  'POST /api/v1/webhooks':                            '401  201  403  403  403  403  403  403  403  403  403',
  'DELETE /api/v1/webhooks/:id':                      '401  204  403  403  403  403  403  403  403  403  403',
  'POST /api/v1/public/cases':                        '201  201  201  201  201  201  201  201  201  201  201',
  'GET /api/v1/public/cases/:code':                   '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/public/cases/:code/rating':           '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/public/cases/:code/reopen':           '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/public/suggestions':                   '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/public/similar':                       '200  200  200  200  200  200  200  200  200  200  200',
  // Suggestions carried through and the departments' replies: a plan is
  // written by the handling department (the economic park's handler) and
  // officers; templates are kept by the department's handlers and
  // officers; a bulk reply names a case the caller cannot read as
  // unknown (422), one it reads but may not answer as forbidden.
  'GET /api/v1/public/suggestions/:id':               '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/cases/:id/plan':                       '401  200  200  200  404  200  404  200  404  200  404',
  'PUT /api/v1/cases/:id/plan':                       '401  200  200  403  404  403  404  200  404  403  404',
  'POST /api/v1/cases/bulk-reply':                    '401  200  200  403  422  403  422  200  422  403  422',
  'GET /api/v1/departments/:id/reply-templates':      '401  200  200  403  403  403  403  200  403  403  403',
  'POST /api/v1/departments/:id/reply-templates':     '401  201  201  403  403  403  403  201  403  403  403',
  'PUT /api/v1/reply-templates/:id':                  '401  200  200  403  403  403  403  200  403  403  403',
  'DELETE /api/v1/reply-templates/:id':               '401  204  204  403  403  403  403  204  403  403  403',
  'GET /api/v1/enterprises/:id/card':                 '401  200  200  200  403  200  403  403  403  200  403',
  'GET /api/v1/enterprises/:id/card.vcf':             '401  200  200  200  403  200  403  403  403  200  403',
  'GET /api/v1/enterprises/:id/card.svg':             '401  200  200  200  403  200  403  403  403  200  403',
  'GET /api/v1/enterprises/:id/card.png':             '401  200  200  200  403  200  403  403  403  200  403',
  'GET /api/v1/enterprises/:id/card.pdf':             '401  200  200  200  403  200  403  403  403  200  403',
  'POST /api/v1/enterprises/:id/card/token':          '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/public/cards/:token':                  '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/jurisdictions/:id/service-desk':       '200  200  200  200  200  200  200  200  200  200  200',
  'PUT /api/v1/jurisdictions/:id/service-desk':       '401  200  200  403  403  403  403  403  403  403  403',
  'GET /q/:token':                                    '200  200  200  200  200  200  200  200  200  200  200',
  'GET /open311/v2/discovery':                        '200  200  200  200  200  200  200  200  200  200  200',
  'GET /open311/v2/services':                         '200  200  200  200  200  200  200  200  200  200  200',
  'GET /open311/v2/services/:code':                   '200  200  200  200  200  200  200  200  200  200  200',
  'GET /open311/v2/requests':                         '200  200  200  200  200  200  200  200  200  200  200',
  // Policy measures: officers and admins keep them; every signed-in caller
  // reads those serving it; enterprises apply, officers decide.
  'GET /api/v1/policies':                             '401  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/policies':                            '401  201  201  403  403  403  403  403  403  403  403',
  'POST /api/v1/policies/check':                      '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/policies/:id':                         '401  200  200  200  200  200  200  200  200  200  200',
  'PUT /api/v1/policies/:id':                         '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/policies/:id/eligible':                '401  200  200  200  200  200  200  403  403  403  403',
  'POST /api/v1/policies/:id/applications':           '401  403  403  403  403  403  403  403  403  201  201',
  'POST /api/v1/policies/:id/batches':                '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/policies/:id/batches':                 '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/enterprises/:id/policies':             '401  200  200  200  200  200  200  200  200  200  403',
  'GET /api/v1/enterprises/:id/questions':            '401  200  200  403  403  200  403  403  403  403  403',
  'GET /api/v1/applications':                         '401  200  200  403  403  403  403  403  403  200  200',
  'GET /api/v1/applications/:id':                     '401  200  200  403  403  403  403  403  403  200  404',
  'POST /api/v1/applications/:id/transition':         '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/batches/:id':                          '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/batches/:id/confirm':                 '401  200  200  403  403  403  403  403  403  403  403',
  // Events: W.event is cluster 1's, inviting enterprise 1 and the economic
  // park department (the handler's); secretary2, grid workers, handler2 and
  // firm2 may not read it (404), enterprise and handler read but not run it.
  'GET /api/v1/event-kinds':                          '401  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/event-kinds':                         '401  200  403  403  403  403  403  403  403  403  403',
  'GET /api/v1/events':                               '401  200  200  200  200  403  403  200  200  200  200',
  'POST /api/v1/events':                              '401  201  201  201  403  403  403  403  403  403  403',
  'GET /api/v1/events/alerts':                        '401  200  200  200  200  403  403  403  403  403  403',
  'GET /api/v1/events/:id':                           '401  200  200  200  404  404  404  200  404  200  404',
  'PATCH /api/v1/events/:id':                         '401  200  200  200  404  404  404  403  404  403  404',
  'POST /api/v1/events/:id/agenda/draft':             '401  200  200  200  404  404  404  403  404  403  404',
  'POST /api/v1/events/:id/items':                    '401  201  201  201  404  404  404  403  404  403  404',
  'PATCH /api/v1/events/:id/items/:item':             '401  200  200  200  404  404  404  403  404  403  404',
  'DELETE /api/v1/events/:id/items/:item':            '401  200  200  200  404  404  404  403  404  403  404',
  'POST /api/v1/events/:id/problems':                 '401  201  201  201  404  404  404  403  404  403  404',
  'POST /api/v1/events/:id/reply':                    '401  200  200  200  404  403  403  403  403  200  404',
  'POST /api/v1/calendars/token':                     '401  201  201  201  201  403  403  201  201  201  201',
  'GET /api/v1/calendars/:type/:id':                  '401  200  200  200  200  403  403  200  200  200  200',
  // The bulletin: everyone reads what is published, officers and admins
  // write it (drafts of their own places).
  'POST /api/v1/bulletin':                            '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/bulletin/tags':                        '200  200  200  200  200  200  200  200  200  200  200',
  'POST /api/v1/bulletin/preview':                    '401  200  200  403  403  403  403  403  403  403  403',
  'GET /api/v1/bulletin/:id':                         '200  200  200  200  200  200  200  200  200  200  200',
  'PATCH /api/v1/bulletin/:id':                       '401  200  200  403  403  403  403  403  403  403  403',
  'DELETE /api/v1/bulletin/:id':                      '401  204  204  403  403  403  403  403  403  403  403',
  'POST /api/v1/bulletin/:id/publish':                '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/bulletin/:id/unpublish':              '401  200  200  403  403  403  403  403  403  403  403',
  'POST /api/v1/bulletin/:id/images':                 '401  201  201  403  403  403  403  403  403  403  403',
  'GET /api/v1/bulletin/:id/images/:image':           '200  200  200  200  200  200  200  200  200  200  200',
  'GET /bulletin.atom':                               '200  200  200  200  200  200  200  200  200  200  200',
  'GET /bulletin/tags/:tag':                          '200  200  200  200  200  200  200  200  200  200  200',
  'POST /open311/v2/requests':                        '403  201  201  201  201  201  201  403  403  403  403',
  'GET /open311/v2/requests/:id':                     '200  200  200  200  200  200  200  200  200  200  200',
  'GET /open311/v2/tokens/:token':                    '200  200  200  200  200  200  200  200  200  200  200',
  'GET /api/v1/dashboard':                            '401  200  200  200  200  200  200  403  403  403  403',
  'GET /api/v1/dashboard/report.xlsx':                '401  200  200  200  200  200  200  403  403  403  403',
  'GET /api/v1/dashboard/report.pdf':                 '401  200  200  200  200  200  200  403  403  403  403',
  'GET /api/v1/reference-employment':                 '401  200  200  200  200  200  200  403  403  403  403',
  'POST /api/v1/reference-employment':                '401  200  200  403  403  403  403  403  403  403  403',
};

// ---------------------------------------------------------------------
// The request each route is asked, one line per route where it fits.
// `path` fills the pattern from the world (W, below) and the setup's
// record (s); `body` is JSON unless `form` or `raw` (bytes, or a function
// of i giving them); `setup(admin, i)` runs before each call, as admin, to
// make the record that call needs.
const uniq = (() => { let n = 0; return () => `${process.pid.toString(36)}${(++n).toString(36)}`; })();
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const square = (i) => {
  const x = 100 + (i % 40) * 0.02, y = 10 + Math.floor(i / 40) * 0.02;
  return { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] };
};
const problem = () => ({ kind: 'problem', category: 'land', text: `扩产用地需求 ${uniq()}`, enterprise_id: 1 });
// A case of enterprise 1 in the economic park department, taken through
// the given states by admin; a resident's complaint likewise.
const caseIn = (...states) => async (a) => ({ id: await newCase(a, problem(), states) });
const complaintIn = (...states) => async (a) => {
  const r = await call(a.base, null, 'POST', '/api/v1/public/cases', { kind: 'complaint', category: 'environment', text: `垃圾未清运 ${uniq()}` });
  assert.equal(r.status, 201, r.text);
  await walk(a, r.json.case.id, states);
  return { code: r.json.tracking_code };
};
const RESOLVED = ['accepted', 'assigned', 'in_progress', 'resolved'];

const REQ = {
  'GET /api/v1/session':                            { path: '/api/v1/session' },
  'POST /api/v1/session':                           { path: '/api/v1/session', body: () => ({ username: 'officer', password: 'qunyan2024' }) },
  'DELETE /api/v1/session':                         { path: '/api/v1/session' },
  // The caller's own password, set to what it was.
  'PUT /api/v1/session/password':                   { path: '/api/v1/session/password', body: () => ({ current: 'qunyan2024', new: 'qunyan2024' }) },
  // Accounts, asked about secretary3, who is none of the callers.
  'GET /api/v1/users':                              { path: '/api/v1/users' },
  'POST /api/v1/users':                             { path: '/api/v1/users', body: (i) => ({ username: `u${uniq()}`, password: 'qunyan2024', role: 'grid_worker', display_name: `测试${i}` }) },
  'PATCH /api/v1/users/:id':                        { path: () => `/api/v1/users/${W.user}`, body: () => ({ disabled: false }) },
  'PUT /api/v1/users/:id/role':                     { path: () => `/api/v1/users/${W.user}/role`, body: () => ({ role: 'grid_worker' }) },
  'GET /api/v1/jurisdictions':                      { path: '/api/v1/jurisdictions' },
  'POST /api/v1/jurisdictions':                     { path: '/api/v1/jurisdictions', body: (i) => ({ parent: '310107', level: 'town', kind: 'street', code: `310107${String(100 + i).padStart(3, '0')}`, name_zh: `测试街道${uniq()}` }) },
  'GET /api/v1/jurisdictions/:id':                  { path: '/api/v1/jurisdictions/1' },
  'PATCH /api/v1/jurisdictions/:id':                { path: '/api/v1/jurisdictions/9', body: () => ({ name_en: 'Putuo' }) },
  'GET /api/v1/jurisdictions/:id/rollup':           { path: '/api/v1/jurisdictions/3/rollup' },
  'PUT /api/v1/users/:id/password':                 { path: () => `/api/v1/users/${W.user}/password`, body: () => ({ new: 'qunyan2024' }) },
  'GET /api/v1/users/:id/keys':                     { path: () => `/api/v1/users/${W.user}/keys` },
  'POST /api/v1/users/:id/keys':                    { path: () => `/api/v1/users/${W.user}/keys`, body: () => ({ label: `测试 ${uniq()}` }) },
  'DELETE /api/v1/users/:id/keys/:key':             { path: (s) => `/api/v1/users/${W.user}/keys/${s.id}`, setup: newUserKey },
  'GET /api/v1/enterprises':                        { path: '/api/v1/enterprises?limit=5' },
  'POST /api/v1/enterprises':                       { path: '/api/v1/enterprises', body: (i) => ({ uscc: uscc(i), name_zh: `测试企业${uniq()}`, industry: '3831', cluster_id: 1 }) },
  'POST /api/v1/enterprises/import':                { path: '/api/v1/enterprises/import', raw: (i) => `uscc,name_zh,industry\r\n${uscc(i)},测试导入${uniq()},3831\r\n`, headers: { 'Content-Type': 'text/csv' } },
  'GET /api/v1/enterprises/:id':                    { path: '/api/v1/enterprises/1' },
  'PATCH /api/v1/enterprises/:id':                  { path: '/api/v1/enterprises/1', body: () => ({ employees: 2600 }), headers: { 'If-Match': '*' } },
  'POST /api/v1/enterprises/:id/retire':            { path: '/api/v1/enterprises/1/retire', body: () => ({ status: 'active', reason: '恢复经营' }),
    setup: async (a) => { await call(a.base, a.key, 'POST', '/api/v1/enterprises/1/retire', { status: 'moved_out', reason: '迁出' }); } },
  'POST /api/v1/enterprises/:id/move':              { path: '/api/v1/enterprises/1/move', body: () => ({ to: '310116101', reason: '迁至朱泾镇' }),
    setup: async (a) => { await call(a.base, a.key, 'POST', '/api/v1/enterprises/1/move', { to: '310116103', reason: '迁回张堰镇' }); } },
  'GET /api/v1/enterprises/:id/moves':              { path: '/api/v1/enterprises/1/moves' },
  'GET /api/v1/enterprise-moves':                   { path: '/api/v1/enterprise-moves?jurisdiction=310116103' },
  'GET /api/v1/clusters':                           { path: '/api/v1/clusters' },
  'POST /api/v1/clusters':                          { path: '/api/v1/clusters', body: () => ({ code: `c${uniq()}`, name_zh: `测试集群${uniq()}` }) },
  'GET /api/v1/clusters/:id':                       { path: '/api/v1/clusters/1' },
  'PATCH /api/v1/clusters/:id':                     { path: '/api/v1/clusters/1', body: () => ({ name_en: 'Optoelectronic transmission' }) },
  'GET /api/v1/organisations':                      { path: '/api/v1/organisations' },
  'POST /api/v1/organisations':                     { path: '/api/v1/organisations', body: () => ({ name_zh: `测试服务机构${uniq()}`, kind: 'service_firm', department_id: 1 }) },
  'GET /api/v1/organisations/:id':                  { path: () => `/api/v1/organisations/${W.org}` },
  'PATCH /api/v1/organisations/:id':                { path: () => `/api/v1/organisations/${W.org}`, body: () => ({ email: 'qiye@zhangyan.example.cn' }), headers: { 'If-Match': '*' } },
  'GET /api/v1/organisations/tree':                 { path: '/api/v1/organisations/tree' },
  'GET /api/v1/coverage':                           { path: '/api/v1/coverage?by=grid' },
  'GET /api/v1/coverage/uncovered':                 { path: '/api/v1/coverage/uncovered' },
  'GET /api/v1/coverage/geojson':                   { path: '/api/v1/coverage/geojson' },
  'GET /api/v1/alliances':                          { path: '/api/v1/alliances' },
  'GET /api/v1/alliances/:id':                      { path: () => `/api/v1/alliances/${W.alliance}` },
  'POST /api/v1/alliances/:id/members':             { path: () => `/api/v1/alliances/${W.alliance}/members`, body: () => ({ name_zh: `测试联盟成员${uniq()}`, resources: [{ text: '开放会议室' }] }) },
  // The catalogue: officers add services, enterprise contacts offer
  // their own (pending); requests name enterprise 1 for the staff, the
  // contact's own enterprise for the contacts.
  'GET /api/v1/services':                           { path: '/api/v1/services?q=%E6%94%BF%E7%AD%96' },
  'POST /api/v1/services':                          { path: '/api/v1/services', body: (i) => serviceBody(i >= 9 ? null : W.org) },
  'GET /api/v1/services/:id':                       { path: () => `/api/v1/services/${W.service}` },
  'PATCH /api/v1/services/:id':                     { path: () => `/api/v1/services/${W.service}`, body: () => ({ fees: '免费' }), headers: { 'If-Match': '*' } },
  'POST /api/v1/services/:id/retire':               { path: (s) => `/api/v1/services/${s.id}/retire`, body: () => ({ reason: '已并入其他服务' }), setup: newService },
  'POST /api/v1/services/:id/approve':              { path: (s) => `/api/v1/services/${s.id}/approve`, body: () => ({ department_id: 2 }), setup: newOffer },
  'POST /api/v1/services/:id/request':              { path: () => `/api/v1/services/${W.service}/request`, body: (i) => (i <= 2 ? { enterprise_id: 1 } : { text: '申请政策解读' }) },
  'GET /hsds/services':                             { path: '/hsds/services?per_page=5' },
  // Measures: demo measure 1 is Zhangyan's chain reward (apply), Qifan's
  // application to it is W.app; W.small the automatic grant, W.batch its
  // draft batch.  An application is made to a measure every enterprise
  // of the town meets, so that both contacts may apply.
  'GET /api/v1/policies':                           { path: '/api/v1/policies' },
  'POST /api/v1/policies':                          { path: '/api/v1/policies', body: () => policyBody() },
  'POST /api/v1/policies/check':                    { path: '/api/v1/policies/check', body: () => ({ rule: 'employees >= 100 and in_park' }) },
  'GET /api/v1/policies/:id':                       { path: () => `/api/v1/policies/${W.chain}` },
  'PUT /api/v1/policies/:id':                       { path: () => `/api/v1/policies/${W.chain}`, body: () => W.chainBody, headers: { 'If-Match': '*' } },
  'GET /api/v1/policies/:id/eligible':              { path: () => `/api/v1/policies/${W.small}/eligible` },
  'POST /api/v1/policies/:id/applications':         { path: (s) => `/api/v1/policies/${s.id}/applications`, body: () => ({ documents: ['申请表'] }), setup: newPolicy },
  'POST /api/v1/policies/:id/batches':              { path: () => `/api/v1/policies/${W.small}/batches` },
  'GET /api/v1/policies/:id/batches':               { path: () => `/api/v1/policies/${W.small}/batches` },
  'GET /api/v1/enterprises/:id/policies':           { path: '/api/v1/enterprises/1/policies' },
  'GET /api/v1/enterprises/:id/questions':          { path: '/api/v1/enterprises/1/questions' },
  'GET /api/v1/applications':                       { path: '/api/v1/applications' },
  'GET /api/v1/applications/:id':                   { path: () => `/api/v1/applications/${W.app}` },
  'POST /api/v1/applications/:id/transition':       { path: (s) => `/api/v1/applications/${s.id}/transition`, body: () => ({ state: 'review' }), setup: newApplication },
  'GET /api/v1/batches/:id':                        { path: () => `/api/v1/batches/${W.batch}` },
  'POST /api/v1/batches/:id/confirm':               { path: (s) => `/api/v1/batches/${s.id}/confirm`, body: () => ({}), setup: newBatch },
  // Events: W.event and its item W.item; writes get an event of their own.
  'GET /api/v1/event-kinds':                        { path: '/api/v1/event-kinds' },
  'POST /api/v1/event-kinds':                       { path: '/api/v1/event-kinds', body: () => ({ code: 'visit_day', name_zh: '走访日' }) },
  'GET /api/v1/events':                             { path: '/api/v1/events' },
  'POST /api/v1/events':                            { path: '/api/v1/events', body: () => eventBody() },
  'GET /api/v1/events/alerts':                      { path: '/api/v1/events/alerts?year=2024' },
  'GET /api/v1/events/:id':                         { path: () => `/api/v1/events/${W.event}` },
  'PATCH /api/v1/events/:id':                       { path: (s) => `/api/v1/events/${s.id}`, body: () => ({ place: '张堰镇党群服务中心' }), setup: newEvent },
  'POST /api/v1/events/:id/agenda/draft':           { path: (s) => `/api/v1/events/${s.id}/agenda/draft`, setup: newEvent },
  'POST /api/v1/events/:id/items':                  { path: (s) => `/api/v1/events/${s.id}/items`, body: () => ({ title: '园区党建共建交流' }), setup: newEvent },
  'PATCH /api/v1/events/:id/items/:item':           { path: (s) => `/api/v1/events/${s.id}/items/${s.item}`, body: () => ({ minutes: '已交流' }), setup: newEvent },
  'DELETE /api/v1/events/:id/items/:item':          { path: (s) => `/api/v1/events/${s.id}/items/${s.item}`, setup: newEvent },
  'POST /api/v1/events/:id/problems':               { path: (s) => `/api/v1/events/${s.id}/problems`, body: () => ({ enterprise_id: 1, text: `夜间照明不足 ${uniq()}`, department_id: 2, deadline: '2099-12-31' }), setup: newEvent },
  'POST /api/v1/events/:id/reply':                  { path: (s) => `/api/v1/events/${s.id}/reply`, body: () => ({ reply: 'coming', enterprise_id: 1 }), setup: newEvent },
  'POST /api/v1/calendars/token':                   { path: '/api/v1/calendars/token' },
  'GET /api/v1/calendars/:type/:id':                { path: '/api/v1/calendars/clusters/1.ics' },
  // The bulletin: writes get a draft of their own (s.id); the demo's
  // item 1 is published; W's image is a published item's.
  'POST /api/v1/bulletin':                          { path: '/api/v1/bulletin', body: () => bulletinBody() },
  'GET /api/v1/bulletin/tags':                      { path: '/api/v1/bulletin/tags' },
  'POST /api/v1/bulletin/preview':                  { path: '/api/v1/bulletin/preview', body: () => ({ body: '**预览** <b>x</b>' }) },
  'GET /api/v1/bulletin/:id':                       { path: '/api/v1/bulletin/1' },
  'PATCH /api/v1/bulletin/:id':                     { path: (s) => `/api/v1/bulletin/${s.id}`, body: () => ({ title: '改后的标题' }), headers: { 'If-Match': '*' }, setup: newDraft },
  'DELETE /api/v1/bulletin/:id':                    { path: (s) => `/api/v1/bulletin/${s.id}`, setup: newDraft },
  'POST /api/v1/bulletin/:id/publish':              { path: (s) => `/api/v1/bulletin/${s.id}/publish`, setup: newDraft },
  'POST /api/v1/bulletin/:id/unpublish':            { path: (s) => `/api/v1/bulletin/${s.id}/unpublish`, setup: newPublished },
  'POST /api/v1/bulletin/:id/images':               { path: (s) => `/api/v1/bulletin/${s.id}/images`, raw: PNG, headers: { 'Content-Type': 'image/png' }, setup: newDraft },
  'GET /api/v1/bulletin/:id/images/:image':         { path: (s) => `/api/v1/bulletin/${s.id}/images/${s.image}`, setup: publishedImage },
  'GET /bulletin.atom':                             { path: '/bulletin.atom' },
  'GET /bulletin/tags/:tag':                        { path: `/bulletin/tags/${encodeURIComponent('党建引领')}.atom` },
  'GET /api/v1/audit':                              { path: '/api/v1/audit?limit=5' },
  'GET /api/v1/bulletin':                           { path: '/api/v1/bulletin' },
  'GET /api/v1/clusters/:id/chain':                 { path: '/api/v1/clusters/1/chain' },
  'POST /api/v1/clusters/:id/chain/nodes':          { path: '/api/v1/clusters/1/chain/nodes', body: () => ({ code: `n_${uniq()}`, name_zh: '测试节点', name_en: 'Test node', kind: 'component', stage: 'midstream' }) },
  'POST /api/v1/clusters/:id/chain/edges':          { path: '/api/v1/clusters/1/chain/edges', body: (i, s) => ({ from: s.from, to: s.to }), setup: twoNodes },
  'GET /api/v1/clusters/:id/gaps':                  { path: '/api/v1/clusters/1/gaps' },
  'GET /api/v1/clusters/:id/localisation':          { path: '/api/v1/clusters/1/localisation?from=2020&to=2024' },
  'GET /api/v1/clusters/:id/loops':                 { path: '/api/v1/clusters/1/loops' },
  'GET /api/v1/chain/nodes/:id':                    { path: () => `/api/v1/chain/nodes/${W.node}` },
  'GET /api/v1/enterprises/:id/partners':           { path: '/api/v1/enterprises/1/partners?limit=3' },
  'GET /api/v1/enterprises/:id/localisation':       { path: '/api/v1/enterprises/1/localisation?from=2020&to=2024' },
  'GET /api/v1/enterprises/:id/attracted':          { path: '/api/v1/enterprises/1/attracted' },
  'POST /api/v1/enterprises/:id/partner-contacts':  { path: '/api/v1/enterprises/1/partner-contacts', body: () => ({ partner_id: 3, node_id: W.node, role: 'supplier', note: '已介绍' }) },
  'PUT /api/v1/enterprises/:id/products/:node':     { path: () => `/api/v1/enterprises/1/products/${W.node}`, body: () => ({ capacity: 120 }) },
  'PUT /api/v1/enterprises/:id/needs/:node':        { path: () => `/api/v1/enterprises/1/needs/${W.node}`, body: () => ({ annual_need: 80 }) },
  'DELETE /api/v1/enterprises/:id/products/:node':  { path: () => `/api/v1/enterprises/1/products/${W.node}` },
  'DELETE /api/v1/enterprises/:id/needs/:node':     { path: () => `/api/v1/enterprises/1/needs/${W.node}` },
  'POST /api/v1/supply-links':                      { path: '/api/v1/supply-links', body: () => ({ supplier_id: 1, customer_id: 2, node_id: W.node, annual_value: 50, since: '2024-01-01', source: 'declared' }) },
  'PUT /api/v1/chain/nodes/:id':                    { path: (s) => `/api/v1/chain/nodes/${s.from}`, body: () => ({ name_en: 'Renamed node' }), setup: twoNodes },
  'DELETE /api/v1/chain/nodes/:id':                 { path: (s) => `/api/v1/chain/nodes/${s.from}`, setup: twoNodes },
  'DELETE /api/v1/clusters/:id/chain/edges/:from/:to': { path: (s) => `/api/v1/clusters/1/chain/edges/${s.from}/${s.to}`, setup: joinedNodes },
  'GET /api/v1/enterprises/:id/chain':              { path: '/api/v1/enterprises/1/chain' },
  'GET /api/v1/leads':                              { path: '/api/v1/leads' },
  'POST /api/v1/leads':                             { path: '/api/v1/leads', body: () => ({ name: `意向企业${uniq()}`, node_id: W.node }) },
  'GET /api/v1/leads/:id':                          { path: () => `/api/v1/leads/${W.lead}` },
  'POST /api/v1/leads/:id/stage':                   { path: (s) => `/api/v1/leads/${s.id}/stage`, body: () => ({ stage: 'visited' }), setup: newLead },
  'GET /api/v1/grids':                              { path: '/api/v1/grids' },
  'POST /api/v1/grids':                             { path: '/api/v1/grids', body: (i) => ({ code: `T${uniq()}`, name_zh: '测试网格', level: 'town', geometry: square(i) }) },
  'GET /api/v1/grids/geojson':                      { path: '/api/v1/grids/geojson' },
  'POST /api/v1/grids/import':                      { path: '/api/v1/grids/import', body: (i) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: `I${uniq()}`, level: 'town', name_zh: '导入网格', parent_code: null }, geometry: square(i + 200) }] }) },
  'GET /api/v1/grids/unplaced':                     { path: '/api/v1/grids/unplaced' },
  'GET /api/v1/grids/:id':                          { path: () => `/api/v1/grids/${W.grid}` },
  'PUT /api/v1/grids/:id':                          { path: () => `/api/v1/grids/${W.grid}`, body: () => W.gridBody, headers: { 'If-Match': '*' } },
  'PUT /api/v1/grids/:id/members':                  { path: () => `/api/v1/grids/${W.grid}/members`, body: () => ({ user_ids: W.gridMembers }) },
  'GET /api/v1/grids/:id/cards.pdf':                { path: () => `/api/v1/grids/${W.grid}/cards.pdf` },
  // Each call cuts, or staffs, a town grid of its own (newGrid).
  'POST /api/v1/grids/:id/split':                   { path: (s) => `/api/v1/grids/${s.id}/split`, setup: newGrid(false), headers: { 'If-Match': '*' }, body: (i, s) => ({ code: `S${uniq()}`, name_zh: '切分网格', line: { type: 'LineString', coordinates: [[s.x + 0.005, s.y - 0.001], [s.x + 0.005, s.y + 0.011]] } }) },
  'POST /api/v1/grids/:id/members':                 { path: (s) => `/api/v1/grids/${s.id}/members`, setup: newGrid(false), body: () => ({ user_id: W.worker }) },
  'DELETE /api/v1/grids/:id/members/:user':         { path: (s) => `/api/v1/grids/${s.id}/members/${W.worker}`, setup: newGrid(true) },
  'GET /api/v1/grids/:id/candidates':               { path: () => `/api/v1/grids/${W.grid}/candidates` },
  'GET /api/v1/enterprises/:id/visits':             { path: '/api/v1/enterprises/1/visits' },
  'POST /api/v1/visits':                            { path: '/api/v1/visits', body: () => ({ enterprise_id: 1, status: 'planned' }) },
  'GET /api/v1/enterprises/:id/indicators':         { path: '/api/v1/enterprises/1/indicators' },
  'PUT /api/v1/enterprises/:id/indicators/:period': { path: '/api/v1/enterprises/1/indicators/2024-Q1', body: () => ({ revenue: 1000 }) },
  'GET /api/v1/alerts':                             { path: '/api/v1/alerts' },
  'GET /api/v1/cases':                              { path: '/api/v1/cases?limit=5' },
  'POST /api/v1/cases':                             { path: '/api/v1/cases', body: problem },
  'GET /api/v1/cases/similar':                      { path: () => `/api/v1/cases/similar?text=${encodeURIComponent(W.caseText)}` },
  'GET /api/v1/cases/stats':                        { path: '/api/v1/cases/stats' },
  'GET /api/v1/cases/:id':                          { path: () => `/api/v1/cases/${W.case}` },
  'POST /api/v1/cases/:id/transition':              { path: (s) => `/api/v1/cases/${s.id}/transition`, body: () => ({ to: 'in_progress' }), setup: caseIn('accepted', 'assigned') },
  'POST /api/v1/cases/:id/assign':                  { path: (s) => `/api/v1/cases/${s.id}/assign`, body: () => ({ deadline: '2030-01-01T00:00:00Z', note: '延期' }), setup: caseIn() },
  'POST /api/v1/cases/:id/reply':                   { path: (s) => `/api/v1/cases/${s.id}/reply`, body: () => ({ reply: '正在协调' }), setup: caseIn('accepted', 'assigned') },
  'POST /api/v1/cases/:id/merge':                   { path: (s) => `/api/v1/cases/${s.id}/merge`, body: (i, s) => ({ into: s.into, note: '重复' }), setup: twoCases },
  'POST /api/v1/cases/:id/rating':                  { path: (s) => `/api/v1/cases/${s.id}/rating`, body: () => ({ rating: 5 }), setup: caseIn(...RESOLVED) },
  'POST /api/v1/cases/:id/reopen':                  { path: (s) => `/api/v1/cases/${s.id}/reopen`, body: () => ({ note: '仍未解决' }), setup: caseIn(...RESOLVED) },
  'POST /api/v1/cases/:id/photos':                  { path: (s) => `/api/v1/cases/${s.id}/photos`, raw: PNG, headers: { 'Content-Type': 'image/png' }, setup: caseIn() },
  'GET /api/v1/cases/:id/photos/:photo':            { path: () => `/api/v1/cases/${W.case}/photos/${W.photo}` },
  'GET /api/v1/cases/export':                       { path: '/api/v1/cases/export?status=open' },
  'POST /api/v1/cases/:id/transfer':                { path: (s) => `/api/v1/cases/${s.id}/transfer`, body: () => ({ to: '310116101', reason: '属朱泾镇辖区' }), setup: caseIn() },
  'POST /api/v1/cases/:id/transfer/accept':         { path: (s) => `/api/v1/cases/${s.id}/transfer/accept`, body: () => ({ note: '接收' }), setup: transferred },
  'POST /api/v1/cases/:id/transfer/return':         { path: (s) => `/api/v1/cases/${s.id}/transfer/return`, body: () => ({ reason: '不属本镇' }), setup: transferred },
  'GET /api/v1/cases/:id/transfers':                { path: () => `/api/v1/cases/${W.case}/transfers` },
  'GET /api/v1/cases/rankings':                     { path: '/api/v1/cases/rankings?by=department' },
  'GET /api/v1/cases/:id/requests':                 { path: () => `/api/v1/cases/${W.case}/requests` },
  'POST /api/v1/cases/:id/requests':                { path: (s) => `/api/v1/cases/${s.id}/requests`, body: () => ({ kind: 'extension', reason: '需区里协调', deadline: '2099-01-01' }), setup: caseIn('accepted', 'assigned') },
  'POST /api/v1/cases/:id/requests/:rid/decision':  { path: (s) => `/api/v1/cases/${s.id}/requests/${s.rid}/decision`, body: () => ({ approve: true, note: '同意' }), setup: requested('extension') },
  'POST /api/v1/cases/:id/resume':                  { path: (s) => `/api/v1/cases/${s.id}/resume`, body: () => ({ note: '外部事项已办结' }), setup: parked },
  'POST /api/v1/cases/:id/callback':                { path: (s) => `/api/v1/cases/${s.id}/callback`, body: () => ({ rating: 5, note: '电话回访' }), setup: caseIn(...RESOLVED) },
  'POST /api/v1/cases/:id/site-check':              { path: (s) => `/api/v1/cases/${s.id}/site-check`, body: (i, s) => ({ photo_id: s.photo, note: '现场已修复' }), setup: resolvedWithPhoto },
  'GET /api/v1/case-requests':                      { path: '/api/v1/case-requests' },
  'GET /api/v1/case-categories/:id/limits':         { path: '/api/v1/case-categories/1/limits' },
  'PUT /api/v1/case-categories/:id/limits':         { path: '/api/v1/case-categories/1/limits', body: () => ({ limits: { ordinary: { dispatch: { amount: 1, unit: 'working_days' } } }, site_check: false }) },
  'GET /api/v1/work-calendar/:year':                { path: '/api/v1/work-calendar/2026' },
  'PUT /api/v1/work-calendar/:year':                { path: '/api/v1/work-calendar/2030', body: () => ({ days: [{ date: '2030-01-01', kind: 'holiday', name: '元旦' }] }) },
  'GET /api/v1/transfers':                          { path: '/api/v1/transfers?direction=in&status=pending' },
  'GET /api/v1/departments':                        { path: '/api/v1/departments' },
  'GET /api/v1/case-categories':                    { path: '/api/v1/case-categories' },
  'POST /api/v1/case-categories':                   { path: '/api/v1/case-categories', body: () => ({ code: `k_${uniq()}`, name_zh: '测试类别', name_en: 'Test', department_id: 2, deadline_hours: 72 }) },
  'GET /api/v1/collection-points':                  { path: '/api/v1/collection-points' },
  'POST /api/v1/collection-points':                 { path: '/api/v1/collection-points', body: () => W.pointBody },
  'PUT /api/v1/collection-points/:id':              { path: () => `/api/v1/collection-points/${W.point}`, body: () => W.pointBody },
  'GET /api/v1/booklet.pdf':                        { path: '/api/v1/booklet.pdf?lang=zh' },
  'GET /api/v1/webhooks':                           { path: '/api/v1/webhooks' },
  'POST /api/v1/webhooks':                          { path: '/api/v1/webhooks', body: () => ({ url: 'http://127.0.0.1:9/hook' }) },
  'DELETE /api/v1/webhooks/:id':                    { path: (s) => `/api/v1/webhooks/${s.id}`, setup: newWebhook },
  'POST /api/v1/public/cases':                      { path: '/api/v1/public/cases', body: () => ({ kind: 'suggestion', category: 'community', text: `建议增设座椅 ${uniq()}` }) },
  'GET /api/v1/public/cases/:code':                 { path: () => `/api/v1/public/cases/${W.code}` },
  'POST /api/v1/public/cases/:code/rating':         { path: (s) => `/api/v1/public/cases/${s.code}/rating`, body: () => ({ rating: 4 }), setup: complaintIn(...RESOLVED) },
  'POST /api/v1/public/cases/:code/reopen':         { path: (s) => `/api/v1/public/cases/${s.code}/reopen`, body: () => ({ note: '仍有异味' }), setup: complaintIn(...RESOLVED) },
  'GET /api/v1/public/suggestions':                 { path: '/api/v1/public/suggestions' },
  'GET /api/v1/public/similar':                     { path: () => `/api/v1/public/similar?text=${encodeURIComponent(W.caseText)}` },
  'GET /api/v1/public/suggestions/:id':             { path: () => `/api/v1/public/suggestions/${W.suggestion}` },
  'GET /api/v1/cases/:id/plan':                     { path: () => `/api/v1/cases/${W.case}/plan` },
  'PUT /api/v1/cases/:id/plan':                     { path: (s) => `/api/v1/cases/${s.id}/plan`, body: () => ({ summary: '协调存量厂房', milestones: [{ title: '排摸存量厂房', due_on: '2099-01-01' }] }), setup: adoptedSuggestion },
  'POST /api/v1/cases/bulk-reply':                  { path: '/api/v1/cases/bulk-reply', body: (i, s) => ({ case_ids: [s.id], reply: '正在协调' }), setup: caseIn('accepted', 'assigned') },
  'GET /api/v1/departments/:id/reply-templates':    { path: '/api/v1/departments/2/reply-templates' },
  'POST /api/v1/departments/:id/reply-templates':   { path: '/api/v1/departments/2/reply-templates', body: () => ({ title: `模板 ${uniq()}`, body: '第{id}号诉求已受理。' }) },
  'PUT /api/v1/reply-templates/:id':                { path: (s) => `/api/v1/reply-templates/${s.id}`, body: () => ({ title: `模板 ${uniq()}` }), setup: newTemplate },
  'DELETE /api/v1/reply-templates/:id':             { path: (s) => `/api/v1/reply-templates/${s.id}`, setup: newTemplate },
  'GET /api/v1/enterprises/:id/card':               { path: '/api/v1/enterprises/1/card' },
  'GET /api/v1/enterprises/:id/card.vcf':           { path: '/api/v1/enterprises/1/card.vcf' },
  'GET /api/v1/enterprises/:id/card.svg':           { path: '/api/v1/enterprises/1/card.svg' },
  'GET /api/v1/enterprises/:id/card.png':           { path: '/api/v1/enterprises/1/card.png' },
  'GET /api/v1/enterprises/:id/card.pdf':           { path: '/api/v1/enterprises/1/card.pdf' },
  'POST /api/v1/enterprises/:id/card/token':        { path: '/api/v1/enterprises/1/card/token' },
  'GET /api/v1/public/cards/:token':                { path: () => `/api/v1/public/cards/${W.cardToken}` },
  'GET /api/v1/jurisdictions/:id/service-desk':     { path: '/api/v1/jurisdictions/1/service-desk' },
  'PUT /api/v1/jurisdictions/:id/service-desk':     { path: '/api/v1/jurisdictions/1/service-desk', body: () => ({ office_department_id: 1, office_phone: '021-5721 1000', hotline_zh: '张堰镇营商服务热线', hotline_phone: '021-5721 8890' }) },
  'GET /q/:token':                                  { path: () => `/q/${W.cardToken}` },
  'GET /open311/v2/discovery':                      { path: '/open311/v2/discovery.json' },
  'GET /open311/v2/services':                       { path: '/open311/v2/services.json' },
  'GET /open311/v2/services/:code':                 { path: '/open311/v2/services/road_lighting.json' },
  'GET /open311/v2/requests':                       { path: '/open311/v2/requests.json' },
  'POST /open311/v2/requests':                      { path: '/open311/v2/requests.json', form: (key) => ({ ...(key ? { api_key: key } : {}), service_code: 'road_lighting', lat: '30.8031', long: '121.2915', description: `路灯不亮 ${uniq()}` }) },
  'GET /open311/v2/requests/:id':                   { path: () => `/open311/v2/requests/${W.publicCase}.json` },
  'GET /open311/v2/tokens/:token':                  { path: () => `/open311/v2/tokens/${W.code}.json` },
  'GET /api/v1/dashboard':                          { path: '/api/v1/dashboard?period=2025' },
  'GET /api/v1/dashboard/report.xlsx':              { path: '/api/v1/dashboard/report.xlsx?period=2025Q4' },
  'GET /api/v1/dashboard/report.pdf':               { path: '/api/v1/dashboard/report.pdf?period=2025Q4' },
  'GET /api/v1/reference-employment':               { path: '/api/v1/reference-employment' },
  'POST /api/v1/reference-employment':              { path: '/api/v1/reference-employment', raw: () => 'region,industry,employees\r\n上海市,3831,29600\r\n上海市,7020,480000\r\n', headers: { 'Content-Type': 'text/csv' } },
};

// ---------------------------------------------------------------------
// The routes, as the server has them.

function routesOf(source, table) {
  const start = source.indexOf(`${table}[] = {`);
  assert.ok(start >= 0, `${table} in src/api/common.c`);
  const body = source.slice(start, source.indexOf('};', start));
  const out = [];
  for (const m of body.matchAll(/\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*(h_\w+)/g)) out.push(`${m[1]} ${m[2]}`);
  return out;
}
const source = readFileSync(join(root, 'src', 'api', 'common.c'), 'utf8');
const ROUTES = [...routesOf(source, 'api_routes'), ...routesOf(source, 'open311_routes')];

// ---------------------------------------------------------------------
// Servers and calls.

// A USCC (GB 32100-2015) with both its check characters, from a number.
function uscc(i) {
  const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const body = String(70000000 + process.pid % 1000000 * 13 + i * 7919).slice(-8);
  const w11714 = [3, 7, 9, 10, 5, 8, 4, 2];
  const c9 = 11 - ([...body].reduce((s, c, k) => s + Number(c) * w11714[k], 0) % 11);
  const org = body + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  const s17 = `91310116${org}`;
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...s17].reduce((s, c, k) => s + ALPHA.indexOf(c) * w[k], 0);
  return s17 + ALPHA[(31 - (sum % 31)) % 31];
}

async function call(base, key, method, path, body, { headers = {}, form, raw } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  let payload;
  if (raw) payload = raw;
  else if (form) {
    payload = new URLSearchParams(form).toString();
    h['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, text, json };
}

async function walk(a, id, states) {
  for (const to of states) {
    const r = await call(a.base, a.key, 'POST', `/api/v1/cases/${id}/transition`, { to, note: '处理' });
    assert.equal(r.status, 200, `setup: case ${id} to ${to}: ${r.text}`);
  }
}
async function newCase(a, body, states = []) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/cases', body);
  assert.equal(r.status, 201, `setup: ${r.text}`);
  await walk(a, r.json.case.id, states);
  return r.json.case.id;
}
// A case of enterprise 1 sent to Zhujing by admin, waiting for its answer.
async function transferred(a) {
  const id = await newCase(a, problem());
  const r = await call(a.base, a.key, 'POST', `/api/v1/cases/${id}/transfer`, { to: '310116101', reason: '属朱泾镇辖区' });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id };
}
// A case of enterprise 1 dispatched to the economic park, whose handler
// asked for `kind` (an officer decides).
function requested(kind) {
  return async (a) => {
    const id = await newCase(a, problem(), ['accepted', 'assigned']);
    const body = { kind, reason: '需外部单位配合', ...(kind === 'extension' ? { deadline: '2099-01-01' } : {}), ...(kind === 'park' ? { review_on: new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10) } : {}) };
    const r = await call(a.base, KEYS.handler, 'POST', `/api/v1/cases/${id}/requests`, body);
    assert.equal(r.status, 201, `setup: ${r.text}`);
    return { id, rid: r.json.request.id };
  };
}
// The same with parking approved: its clock stands.
async function parked(a) {
  const s = await requested('park')(a);
  const r = await call(a.base, a.key, 'POST', `/api/v1/cases/${s.id}/requests/${s.rid}/decision`, { approve: true, note: '同意挂账' });
  assert.equal(r.status, 200, `setup: ${r.text}`);
  return s;
}
// A resolved case of enterprise 1 with a photo taken on site.
async function resolvedWithPhoto(a) {
  const id = await newCase(a, problem(), RESOLVED);
  const r = await call(a.base, a.key, 'POST', `/api/v1/cases/${id}/photos`, undefined, { raw: PNG, headers: { 'Content-Type': 'image/png' } });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id, photo: r.json.id };
}
// A suggestion of enterprise 1 in the economic park department, adopted.
async function adoptedSuggestion(a) {
  return { id: await newCase(a, { ...problem(), kind: 'suggestion' }, ['accepted', 'under_review', 'adopted']) };
}
// A reply template of the economic park department (id 2).
async function newTemplate(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/departments/2/reply-templates', { title: `模板 ${uniq()}`, body: '已受理。' });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
async function twoCases(a) {
  return { id: await newCase(a, problem()), into: await newCase(a, problem()) };
}
async function twoNodes(a) {
  const node = async () => {
    const r = await call(a.base, a.key, 'POST', '/api/v1/clusters/1/chain/nodes',
      { code: `e_${uniq()}`, name_zh: '测试节点', name_en: 'Test node', kind: 'component', stage: 'midstream' });
    assert.equal(r.status, 201, `setup: ${r.text}`);
    return r.json.id ?? r.json.node?.id;
  };
  return { from: await node(), to: await node() };
}
// Two new nodes of cluster 1 with an edge from one to the other.
async function joinedNodes(a) {
  const s = await twoNodes(a);
  const r = await call(a.base, a.key, 'POST', '/api/v1/clusters/1/chain/edges', { from: s.from, to: s.to });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return s;
}
async function newLead(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/leads', { name: `意向企业${uniq()}`, node_id: W.node });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id ?? r.json.lead?.id };
}
// A town grid of its own for each call, a square far from the park, with
// grid3 (W.worker) on its team when asked.
function newGrid(team) {
  return async (a, i) => {
    const sq = square(i + 300);
    const r = await call(a.base, a.key, 'POST', '/api/v1/grids', { code: `G${uniq()}`, name_zh: '测试网格', level: 'town', geometry: sq });
    assert.equal(r.status, 201, `setup: ${r.text}`);
    if (team) {
      const m = await call(a.base, a.key, 'PUT', `/api/v1/grids/${r.json.grid.id}/members`, { user_ids: [W.worker] });
      assert.equal(m.status, 200, `setup: ${m.text}`);
    }
    const [x, y] = sq.coordinates[0][0];
    return { id: r.json.grid.id, x, y };
  };
}
async function newUserKey(a) {
  const r = await call(a.base, a.key, 'POST', `/api/v1/users/${W.user}/keys`, { label: `撤销 ${uniq()}` });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
// A service of the catalogue: provided by the organisation `provider`,
// or, with none, an enterprise's offer of its own.
function serviceBody(provider) {
  return {
    name_zh: `测试服务${uniq()}`, description_zh: '为园区企业提供测试服务', category: 'training',
    ...(provider ? { provider_id: provider } : {}),
    hours: { weekly: [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }] },
  };
}
async function newService(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/services', serviceBody(W.org));
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
async function newOffer(a) {
  const r = await call(a.base, KEYS.qifan, 'POST', '/api/v1/services', serviceBody(null));
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
function policyBody() {
  return { issuer: '张堰镇人民政府', title_zh: `测试措施${uniq()}`, category: 'market', effective_from: '2020-01-01',
    jurisdiction: '310116103', mode: 'apply', rule: 'status = active', benefit: { amount: 10000 }, documents: ['申请表'] };
}
async function newPolicy(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/policies', policyBody());
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
async function newApplication(a) {
  const r = await call(a.base, KEYS.qifan, 'POST', `/api/v1/policies/${W.chain}/applications`, { documents: W.chainBody.documents });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
async function newBatch(a) {
  const r = await call(a.base, a.key, 'POST', `/api/v1/policies/${W.small}/batches`);
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
// An event of cluster 1 inviting enterprise 1 and the economic park
// department (id 2), with one item.
function eventBody() {
  return { kind: 'salon', title: `测试沙龙${uniq()}`, organiser: { type: 'cluster', id: 1 },
    starts_at: '2099-03-10T14:00', ends_at: '2099-03-10T16:00', enterprises: [1], departments: [2] };
}
async function newEvent(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/events', eventBody());
  assert.equal(r.status, 201, `setup: ${r.text}`);
  const it = await call(a.base, a.key, 'POST', `/api/v1/events/${r.json.id}/items`, { title: '用地需求', department_id: 2 });
  assert.equal(it.status, 201, `setup: ${it.text}`);
  return { id: r.json.id, item: it.json.agenda[it.json.agenda.length - 1].id };
}
function bulletinBody() {
  return { title: `测试公告${uniq()}`, date: '2024-08-01', tags: ['测试'], body: '正文' };
}
async function newDraft(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/bulletin', bulletinBody());
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}
async function newPublished(a) {
  const { id } = await newDraft(a);
  const r = await call(a.base, a.key, 'POST', `/api/v1/bulletin/${id}/publish`);
  assert.equal(r.status, 200, `setup: ${r.text}`);
  return { id };
}
// One published item with an image per server, made once.
const bulletinImages = {};
async function publishedImage(a) {
  if (!bulletinImages[a.base]) {
    const { id } = await newDraft(a);
    const im = await call(a.base, a.key, 'POST', `/api/v1/bulletin/${id}/images`, undefined, { raw: PNG, headers: { 'Content-Type': 'image/png' } });
    assert.equal(im.status, 201, `setup: ${im.text}`);
    const r = await call(a.base, a.key, 'POST', `/api/v1/bulletin/${id}/publish`);
    assert.equal(r.status, 200, `setup: ${r.text}`);
    bulletinImages[a.base] = { id, image: im.json.id };
  }
  return bulletinImages[a.base];
}
async function newWebhook(a) {
  const r = await call(a.base, a.key, 'POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook' });
  assert.equal(r.status, 201, `setup: ${r.text}`);
  return { id: r.json.id };
}

// The demo database once, with an API key for each caller and the
// contact of enterprise 2 added; every server runs on a copy of it.
const dir = mkdtempSync(join(tmpdir(), 'qunyan-routes-'));
const template = join(dir, 'template.db');
const run = (args, env) => {
  const r = cli(args, env ? { env: { ...process.env, ...env } } : {});
  assert.equal(r.status, 0, `qunyan ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
run(['init', '--demo', '--db', template]);
run(['user', 'add', 'firm2', '--role', 'enterprise', '--enterprise', '2', '--name', '协益联系人', '--db', template],
  { QUNYAN_PASSWORD: 'qunyan2024' });
const KEYS = { anon: null };
for (const role of ROLES.slice(1)) KEYS[role] = run(['user', 'key', role, '--db', template]).trim().split(/\s+/).pop();

const servers = [];
let copies = 0;
async function server() {
  const db = join(dir, `copy${++copies}.db`);
  copyFileSync(template, db);
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', join(dir, `access${copies}.log`)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /serving on (http:\/\/[\d.]+:\d+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${out}`)); });
  });
  const s = { base, proc, output: () => out };
  servers.push(s);
  return s;
}
async function stop(s) {
  if (s.proc.exitCode === null && s.proc.signalCode === null) {
    const exited = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGTERM');
    await exited;
  }
  // Under the sanitizers a leak or an error report makes the exit status non-zero.
  assert.equal(s.proc.exitCode, 0, `server exited with ${s.proc.exitCode ?? s.proc.signalCode}:\n${s.output().slice(-3000)}`);
}
test.after(async () => {
  for (const s of servers) await stop(s).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------
// The world the reads are asked about: found once, on the read server.
const W = {};
const reads = await server();
{
  const admin = { base: reads.base, key: KEYS.admin };
  const get = async (path) => {
    const r = await call(reads.base, KEYS.admin, 'GET', path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    return r.json;
  };
  const cases = (await get('/api/v1/cases?limit=500')).items;
  const c = cases.find((x) => x.enterprise?.id === 1 && x.department.name === '经济园区' && x.status === 'open');
  assert.ok(c, 'an open case of enterprise 1 in the economic park department');
  W.case = c.id;
  W.caseText = c.text;
  const p = cases.find((x) => x.public && x.status === 'open');
  W.publicCase = p.id;
  W.code = p.tracking_code;
  W.suggestion = cases.find((x) => x.public && x.kind === 'suggestion').id;
  W.node = (await get('/api/v1/clusters/1/chain')).nodes[0].id;
  W.user = (await get('/api/v1/users')).items.find((u) => u.username === 'secretary3').id;
  W.worker = (await get('/api/v1/users')).items.find((u) => u.username === 'grid3').id;
  W.lead = (await get('/api/v1/leads?cluster=1')).items[0].id;
  W.grid = (await get('/api/v1/enterprises/1')).grid_id;
  const g = await get(`/api/v1/grids/${W.grid}`);
  W.gridMembers = g.members;
  W.gridBody = { code: g.grid.code, name_zh: g.grid.name_zh, name_en: g.grid.name_en, level: g.grid.level, parent_id: g.grid.parent_id, geometry: g.grid.geometry };
  const points = await get('/api/v1/collection-points');
  const point = (points.items || points.points)[0];
  W.point = point.id;
  W.pointBody = { type: 'residential', name_zh: `测试征集点 ${uniq()}`, street: '九里亭街道', address: '九里亭路1号', lon: 121.33, lat: 31.12, keeper: '居委会', hours: '9:00-17:00' };
  const photo = await call(reads.base, KEYS.admin, 'POST', `/api/v1/cases/${W.case}/photos`, undefined, { raw: PNG, headers: { 'Content-Type': 'image/png' } });
  assert.equal(photo.status, 201, photo.text);
  W.photo = photo.json.id;
  // The catalogue's policy briefing and the town office that provides it.
  const office = (await get('/api/v1/services?limit=200')).items.find((x) => x.name_zh === '惠企政策一对一解读');
  W.service = office.id;
  W.org = office.provider.id;
  // The demo's alliance, SUHE ONE.
  W.alliance = (await get('/api/v1/alliances')).items[0].id;
  // The measures of the demo, Qifan's application and the draft batch.
  const policies = (await get('/api/v1/policies')).items;
  const chain = policies.find((x) => x.category.code === 'chain');
  W.chain = chain.id;
  W.chainBody = { issuer: chain.issuer, title_zh: chain.title_zh, category: 'chain', effective_from: chain.effective_from,
    jurisdiction: chain.jurisdiction.code, mode: chain.mode, rule: chain.rule, benefit: chain.benefit, documents: chain.documents };
  W.small = policies.find((x) => x.mode === 'automatic').id;
  W.app = (await get(`/api/v1/applications?policy=${W.chain}`)).items.find((x) => x.enterprise.id === 1).id;
  W.batch = 1;
  // An event of cluster 1 for the reads.
  W.event = (await newEvent(admin)).id;
  // Enterprise 1's card link, issued by this first reading.
  W.cardToken = (await get('/api/v1/enterprises/1/card')).link.split('/').pop();
  void admin;
}

// ---------------------------------------------------------------------
// Each line, each caller.

test('every route in src/api/common.c has a line in the table, and every line a route', () => {
  assert.ok(ROUTES.length > 70, `the route tables were read (${ROUTES.length} routes)`);
  const missing = ROUTES.filter((r) => !(r in TABLE) || !(r in REQ));
  assert.deepEqual(missing, [], `routes without a line in tests/api/routes.test.mjs: ${missing.join(', ')}`);
  const stale = Object.keys(TABLE).filter((r) => !ROUTES.includes(r));
  assert.deepEqual(stale, [], `lines for routes the server does not have: ${stale.join(', ')}`);
  for (const [route, row] of Object.entries(TABLE))
    assert.equal(row.trim().split(/\s+/).length, ROLES.length, `${route}: one status per caller`);
});


for (const route of ROUTES) {
  if (!(route in TABLE) || !(route in REQ)) continue; // reported above
  test(route, async () => {
    const want = TABLE[route].trim().split(/\s+/).map(Number);
    const spec = REQ[route];
    const method = route.split(' ')[0];
    const srv = method === 'GET' ? reads : await server();
    const admin = { base: srv.base, key: KEYS.admin };
    const got = [];
    const detail = [];
    for (const [i, role] of ROLES.entries()) {
      const s = spec.setup ? await spec.setup(admin, i) : {};
      const path = typeof spec.path === 'function' ? spec.path(s) : spec.path;
      const body = spec.body ? spec.body(i, s) : undefined;
      const r = await call(srv.base, KEYS[role], method, path, body,
        { headers: spec.headers, form: spec.form?.(KEYS[role]), raw: typeof spec.raw === 'function' ? spec.raw(i) : spec.raw });
      got.push(r.status);
      if (r.status !== want[i]) detail.push(`  ${role}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    if (srv !== reads) await stop(srv);
    assert.deepEqual(got, want, `${route}\n  want ${want.join(' ')}\n  got  ${got.join(' ')}\n${detail.join('\n')}`);
  });
}
