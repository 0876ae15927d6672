// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QList>
#include <QPointer>
#include <QWidget>

class QLabel;
class QTimer;

namespace brieflow::ui {

/**
 * A quiet, rounded message card floating at the bottom-right of its window, above the status
 * bar (so it never covers the window's own controls there), with an icon and padding on the
 * 8 px grid. It goes away by itself after a few seconds, or on a click.
 */
class Toast final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Toast)

public:
    static constexpr int defaultTimeoutMs = 4000;

    explicit Toast(QWidget *parent);

    void showMessage(const QString &text, int milliseconds = defaultTimeoutMs,
                     const QIcon &icon = {});
    QString text() const;
    /** Widgets of the window the toast must stay above (e.g. a pane's button row): its bottom
     *  edge goes above the top of each one that is visible and beneath it. */
    void setKeepAbove(const QList<QWidget *> &widgets);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void place();

    QLabel *m_icon;
    QLabel *m_text;
    QTimer *m_timer;
    QList<QPointer<QWidget>> m_keepAbove;
};

} // namespace brieflow::ui
