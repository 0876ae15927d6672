// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tempdatadir.h"

#include <QDir>

namespace brieflow::test {

TempDataDir::TempDataDir()
    : m_dir(QDir::tempPath() + QStringLiteral("/brieflow-test-XXXXXX"))
{}

Paths TempDataDir::paths(bool demo) const
{
    return Paths::resolve(Paths::Options{path(), demo, false});
}

} // namespace brieflow::test
