// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

class QObject;

namespace brieflow::cli {

/**
 * Calls @p handler from the event loop (never inside the signal handler) whenever SIGINT or
 * SIGTERM arrives, for as long as @p context lives. A self-pipe keeps the handler signal-safe.
 * One registration per process; a later call replaces the handler. No-op outside Unix.
 */
void onTerminationSignals(QObject *context, std::function<void()> handler);

} // namespace brieflow::cli
