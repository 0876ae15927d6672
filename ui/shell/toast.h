// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

class QTimer;

namespace brieflow::ui {

/** A quiet message in the bottom-right corner of its parent that goes away by itself. */
class Toast final : public QLabel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Toast)

public:
    explicit Toast(QWidget *parent);

    void showMessage(const QString &text, int milliseconds = 5000);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    void place();

    QTimer *m_timer;
};

} // namespace brieflow::ui
