// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The queue model moved to ui/queue; this header stays until the main window includes it there.
#include "ui/queue/jobtablemodel.h"
