// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "teststore.h"

#include <QDebug>

namespace brieflow::test {

std::unique_ptr<JobStore> openTestStore(const TempDataDir &dir, JobStore::Mode mode)
{
    auto opened = JobStore::open(dir.paths().databaseFile(), mode);
    if (!opened) {
        qWarning().noquote() << "openTestStore:" << opened.error().logText();
        return nullptr;
    }
    return std::move(opened).value();
}

} // namespace brieflow::test
