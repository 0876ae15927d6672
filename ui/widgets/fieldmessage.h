// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

namespace brieflow::ui {

/**
 * The line under a form field: a hint in the normal case, the validator's message (with a
 * warning mark and the palette's error colour) when the field has a problem.
 */
class FieldMessage final : public QLabel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldMessage)

public:
    explicit FieldMessage(const QString &hint, QWidget *parent = nullptr);

    void showProblem(const QString &message);
    void showHint();
    bool hasProblem() const { return m_problem; }

private:
    QString m_hint;
    bool m_problem = false;
};

} // namespace brieflow::ui
