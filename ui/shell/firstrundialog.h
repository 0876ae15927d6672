// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

namespace brieflow::ui {

/**
 * Shown once when Brieflow starts without an API token: try the offline demo (the built-in
 * sandbox, nothing sent anywhere) or add a Replicate token. The caller remembers the choice.
 */
class FirstRunDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstRunDialog)

public:
    enum class Choice { None, Demo, AddToken };

    explicit FirstRunDialog(QWidget *parent = nullptr);
    Choice choice() const { return m_choice; }

private:
    Choice m_choice = Choice::None;
};

/** A short list of the keyboard shortcuts (F1). */
class ShortcutsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)

public:
    explicit ShortcutsDialog(QWidget *parent = nullptr);
};

} // namespace brieflow::ui
