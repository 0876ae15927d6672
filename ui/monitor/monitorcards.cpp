// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/monitor/monitorcards.h"

#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

namespace brieflow::ui {

FigureCard::FigureCard(const QString &title, QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(title);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(4);
    m_title = new QLabel(title, this);
    QFont small = m_title->font();
    small.setPointSizeF(small.pointSizeF() * 0.95);
    m_title->setFont(small);
    m_title->setForegroundRole(QPalette::PlaceholderText);
    m_value = new QLabel(QStringLiteral("—"), this);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setWeight(QFont::DemiBold);
    m_value->setFont(big);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail = new QLabel(this);
    m_detail->setFont(small);
    m_detail->setWordWrap(true);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    m_detail->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_detail, 1);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setMinimumWidth(150);
}

FigureCard::~FigureCard() = default;

void FigureCard::setFigure(const QString &value, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
    setAccessibleDescription(QStringLiteral("%1 — %2").arg(value, detail));
}

void FigureCard::setTone(const QColor &color)
{
    QPalette pal = m_value->palette();
    pal.setColor(QPalette::WindowText, color.isValid() ? color : palette().color(QPalette::Text));
    m_value->setPalette(pal);
}

QString FigureCard::title() const
{
    return m_title->text();
}

QString FigureCard::value() const
{
    return m_value->text();
}

QString FigureCard::detail() const
{
    return m_detail->text();
}

void FigureCard::paintEvent(QPaintEvent *event)
{
    // A subtle card instead of a box: the base colour a step away from the window.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
    painter.fillPath(path, palette().color(QPalette::Base));
    QColor edge = palette().color(QPalette::Text);
    edge.setAlpha(24);
    painter.setPen(edge);
    painter.drawPath(path);
    QFrame::paintEvent(event);
}

} // namespace brieflow::ui
