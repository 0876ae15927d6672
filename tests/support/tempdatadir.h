// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTemporaryDir>

#include "core/paths.h"

namespace brieflow::test {

/**
 * A data folder in a fresh temporary directory, removed when the object goes. paths() resolves
 * every Brieflow location inside it, as `--data-dir` would.
 */
class TempDataDir {
public:
    TempDataDir();

    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    /** An absolute path for @p relative inside the folder. */
    QString filePath(const QString &relative) const { return m_dir.filePath(relative); }
    Paths paths(bool demo = false) const;

private:
    QTemporaryDir m_dir;
};

} // namespace brieflow::test
