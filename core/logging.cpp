// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

Q_LOGGING_CATEGORY(lcStore, "brieflow.core.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBrief, "brieflow.core.brief", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "brieflow.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLog, "brieflow.core.log", QtInfoMsg)
