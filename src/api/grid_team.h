/*
 * Grid teams (grid_team.c): the people who look after a grid, shown by
 * name and department, and the rule of who may join one.
 */
#ifndef QY_API_GRID_TEAM_H
#define QY_API_GRID_TEAM_H

#include "api.h"

/* Writes the grid's team as a JSON array of {id, display_name,
 * department, role}, by user id. */
int api_grid_team_json(struct req *r, struct buf *out, int64_t grid_id);

#endif
