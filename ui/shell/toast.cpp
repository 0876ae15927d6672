// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/toast.h"

#include <QEvent>
#include <QTimer>

namespace brieflow::ui {

Toast::Toast(QWidget *parent)
    : QLabel(parent)
    , m_timer(new QTimer(this))
{
    setWordWrap(true);
    setMaximumWidth(360);
    setContentsMargins(16, 12, 16, 12);
    setAutoFillBackground(true);
    setAccessibleName(tr("Notification"));
    setToolTip(tr("Click to dismiss"));
    QPalette p = palette();
    p.setColor(QPalette::Window, p.color(QPalette::ToolTipBase));
    p.setColor(QPalette::WindowText, p.color(QPalette::ToolTipText));
    setPalette(p);
    setFrameShape(QFrame::StyledPanel);
    hide();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &QWidget::hide);
    parent->installEventFilter(this);
}

void Toast::showMessage(const QString &text, int milliseconds)
{
    setText(text);
    adjustSize();
    place();
    show();
    raise();
    m_timer->start(milliseconds);
}

bool Toast::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parent() && event->type() == QEvent::Resize && isVisible())
        place();
    return QLabel::eventFilter(watched, event);
}

void Toast::mousePressEvent(QMouseEvent *event)
{
    Q_UNUSED(event);
    hide();
}

void Toast::place()
{
    auto *host = parentWidget();
    if (!host)
        return;
    move(host->width() - width() - 24, host->height() - height() - 48);
}

} // namespace brieflow::ui
