// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/toast.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QPainter>
#include <QPainterPath>
#include <QStatusBar>
#include <QTimer>

namespace brieflow::ui {

namespace {

constexpr int margin = 16; ///< from the window's edges
constexpr int iconEdge = 24;

} // namespace

Toast::Toast(QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_timer(new QTimer(this))
{
    setAttribute(Qt::WA_TranslucentBackground);
    setAccessibleName(tr("Notification"));
    setToolTip(tr("Click to dismiss"));
    m_icon->setFixedSize(iconEdge, iconEdge);
    m_icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setMinimumWidth(160);
    m_text->setMaximumWidth(320);
    m_text->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    QPalette p = palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::ToolTipText));
    m_text->setPalette(p);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 16, 24, 16);
    layout->setSpacing(16);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    hide();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &QWidget::hide);
    parent->installEventFilter(this);
}

void Toast::showMessage(const QString &text, int milliseconds, const QIcon &icon)
{
    const QIcon shown = icon.isNull() ? QIcon(QStringLiteral(":/icons/state-succeeded.svg")) : icon;
    m_icon->setPixmap(shown.pixmap(iconEdge, iconEdge));
    m_icon->setVisible(!m_icon->pixmap().isNull());
    m_text->setText(text);
    adjustSize();
    place();
    show();
    raise();
    m_timer->start(milliseconds);
}

QString Toast::text() const
{
    return m_text->text();
}

bool Toast::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parent() && event->type() == QEvent::Resize && isVisible())
        place();
    return QWidget::eventFilter(watched, event);
}

void Toast::mousePressEvent(QMouseEvent *event)
{
    Q_UNUSED(event);
    hide();
}

void Toast::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    // A soft shadow, then the card: the tooltip colours of the palette, 8 px corners.
    QPainterPath shadow;
    shadow.addRoundedRect(QRectF(rect()).adjusted(1, 2, -1, 0), 8, 8);
    painter.fillPath(shadow, QColor(0, 0, 0, 40));
    QPainterPath card;
    card.addRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -1.5, -2.5), 8, 8);
    painter.fillPath(card, palette().color(QPalette::ToolTipBase));
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawPath(card);
}

void Toast::setKeepAbove(const QList<QWidget *> &widgets)
{
    m_keepAbove.clear();
    for (QWidget *w : widgets)
        m_keepAbove << QPointer<QWidget>(w);
}

void Toast::place()
{
    auto *host = parentWidget();
    if (!host)
        return;
    int bottom = host->height() - margin;
    if (auto *window = qobject_cast<QMainWindow *>(host)) {
        // Above the status bar, never over it.
        if (QStatusBar *bar = window->statusBar(); bar && bar->isVisible())
            bottom = bar->geometry().top() - margin;
    }
    const int left = host->width() - width() - margin;
    for (const QPointer<QWidget> &guarded : std::as_const(m_keepAbove)) {
        const QWidget *w = guarded.data();
        if (!w || !w->isVisible())
            continue;
        const QRect r(w->mapTo(host, QPoint(0, 0)), w->size());
        if (r.right() >= left && r.left() <= left + width() && r.top() < bottom + margin)
            bottom = qMin(bottom, r.top() - margin);
    }
    move(left, bottom - height());
}

} // namespace brieflow::ui
