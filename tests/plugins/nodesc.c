/* nodesc.c - exports no descriptor: refused. */
int nodesc_answer(void);

int
nodesc_answer(void)
{
	return 42;
}
