// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGuiApplication>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace brieflow::ui {

/** ":/icons/<name>.svg", or its dark-theme drawing ":/icons/dark/<name>.svg" when the window
 *  background is dark (resources/icons/icons.cmake makes both). */
inline QIcon themedIcon(const QString &name)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    return QIcon((dark ? QStringLiteral(":/icons/dark/") : QStringLiteral(":/icons/")) + name
                 + QStringLiteral(".svg"));
}

} // namespace brieflow::ui
