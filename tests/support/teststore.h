// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"

namespace brieflow::test {

/**
 * Opens a JobStore on the database file of @p dir (Paths::databaseFile()), creating it for a
 * Writer. Returns null and logs the StoreError when that fails; tests QVERIFY the pointer.
 */
std::unique_ptr<JobStore> openTestStore(const TempDataDir &dir,
                                        JobStore::Mode mode = JobStore::Mode::Writer);

} // namespace brieflow::test
