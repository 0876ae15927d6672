// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace brieflow {

/** The application version, from the CMake project version. */
inline QString applicationVersion()
{
    return QStringLiteral(BRIEFLOW_VERSION_STRING);
}

} // namespace brieflow
