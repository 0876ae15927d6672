// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGuiApplication>
#include <QIcon>
#include <QPalette>
#include <QSize>
#include <QString>
#include <QToolButton>

namespace brieflow::ui {

/** ":/icons/<name>.svg", or its dark-theme drawing ":/icons/dark/<name>.svg" when the window
 *  background is dark (resources/icons/icons.cmake makes both). */
inline QIcon themedIcon(const QString &name)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    return QIcon((dark ? QStringLiteral(":/icons/dark/") : QStringLiteral(":/icons/")) + name
                 + QStringLiteral(".svg"));
}

/** A flat tool-bar button of the gallery's windows: themed icon, text, tooltip, accessible
 *  name. */
inline QToolButton *barButton(const QString &icon, const QString &text, const QString &tip,
                              QWidget *parent)
{
    auto *button = new QToolButton(parent);
    if (!icon.isEmpty())
        button->setIcon(themedIcon(icon));
    button->setText(text);
    button->setToolTip(tip);
    button->setAccessibleName(text);
    button->setAutoRaise(true);
    button->setIconSize(QSize(20, 20));
    return button;
}

} // namespace brieflow::ui
