/*
 * engine_sync.h — keeping the app's loaded engine current after committed
 * writes (app layer). The engine is loaded from the store once per process
 * (sp_app_engine); writers call these after their store transaction has
 * committed, so the engine only ever holds committed facts.
 */
#ifndef SP_APP_ENGINE_SYNC_H
#define SP_APP_ENGINE_SYNC_H

#include <stddef.h>

#include "app/app_int.h"

/*
 * Append committed sales (ids resolved, as stored) to the loaded engine,
 * declaring org nodes it does not know yet from the app's org cache (call
 * after sp_app_reload). If no engine is loaded, does nothing: the next
 * sp_app_engine loads everything from the store. If the engine cannot take
 * them (an org node moved, out of memory, overflow), it is dropped so the
 * next use reloads it from the store; nothing is lost either way.
 */
void sp_app_engine_append(struct sp_app *app, const struct sp_sale *rows, size_t n);

#endif
